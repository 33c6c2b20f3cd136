#include <crimp/search/mpi_worker_pool.hpp>

#include "mpi_protocol.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/search/evaluation_service.hpp>
#include <crimp/search/genome_evaluator.hpp>
#include <crimp/search/genome_space.hpp>

#include <fmt/format.h>
#include <mpi.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace crimp::search
{

namespace
{

using clock_type = std::chrono::steady_clock;
namespace protocol = mpi_protocol;

std::string describe_fingerprint_mismatch(int rank, const protocol::ready_body &ready, const std::vector<double> &expected)
{
    std::string difference = fmt::format("{} values against {}", ready.fingerprint.size(), expected.size());
    if (ready.fingerprint.size() == expected.size()) {
        const auto first = std::mismatch(expected.begin(), expected.end(), ready.fingerprint.begin());
        difference = fmt::format("value {}: {} against {}", first.first - expected.begin(), *first.second, *first.first);
    }
    return fmt::format("worker rank {} (host {}, process {}) measured other baseline errors on its scoring images "
                       "than rank 0 (first difference at {}), so its results would depend on where a genome runs: "
                       "every rank must read the same dataset and baseline at the run's paths, with the same crimp "
                       "and OpenCV builds",
                       rank, ready.host, ready.process_id, difference);
}

} // namespace

mpi_worker_pool::mpi_worker_pool(const mpi_environment &environment, std::chrono::seconds timeout)
    : m_size(environment.size()), m_timeout(timeout), m_ranks(static_cast<std::size_t>(environment.size()))
{
    if (environment.rank() != protocol::coordinator) {
        throw std::logic_error("only rank 0 hands out genomes");
    }
}

mpi_worker_pool::~mpi_worker_pool()
{
    for (int rank = 1; rank < m_size; ++rank) {
        protocol::send(rank, protocol::tag::stop);
    }

    // A worker may be blocked sending a result that rank 0 no longer needs. Receiving every message until
    // each worker sent `stopped` keeps both sides from waiting on each other in MPI_Finalize.
    std::vector<bool> stopped(static_cast<std::size_t>(m_size), false);
    int stopped_count = 0;
    const auto deadline = clock_type::now() + m_timeout;
    while (stopped_count < m_size - 1) {
        if (auto received = protocol::poll(-1)) {
            if (received->kind == protocol::tag::stopped) {
                stopped[static_cast<std::size_t>(received->source)] = true;
                ++stopped_count;
            } else if (received->kind == protocol::tag::failure) {
                // A destructor must not throw, so a malformed message is logged as such.
                try {
                    spdlog::error("worker rank {}: {}", received->source, protocol::decode_text(received->body));
                } catch (const std::exception &error) {
                    spdlog::error("worker rank {}: {}", received->source, error.what());
                }
            }
        } else if (clock_type::now() > deadline) {
            std::string silent;
            for (int rank = 1; rank < m_size; ++rank) {
                silent += stopped[static_cast<std::size_t>(rank)] ? "" : " " + std::to_string(rank);
            }
            spdlog::error("worker rank(s){} did not stop within {} s; ending the job", silent, m_timeout.count());
            MPI_Abort(MPI_COMM_WORLD, 1);
        } else {
            std::this_thread::sleep_for(protocol::poll_interval);
        }
    }
}

void mpi_worker_pool::start(const search_config &config)
{
    m_slots_per_rank = resolve_worker_layout(config).workers;
    const auto setup = protocol::encode_text(config_to_json(config));
    for (int rank = 1; rank < m_size; ++rank) {
        protocol::send(rank, protocol::tag::setup, setup);
        m_ranks[static_cast<std::size_t>(rank)].state = rank_state::setting_up;
        m_ranks[static_cast<std::size_t>(rank)].setup_sent = clock_type::now();
    }
    spdlog::info("distributed search: {} worker rank(s), each evaluating up to {} genome(s) at once",
                 m_size - 1, m_slots_per_rank);
}

void mpi_worker_pool::check_workers_against(const genome_evaluator &reference)
{
    m_fingerprint = protocol::scoring_fingerprint(reference);
}

void mpi_worker_pool::run(const std::vector<evaluation_task> &tasks, const evaluation_sink &finished)
{
    if (m_fingerprint.empty()) {
        throw std::logic_error("mpi_worker_pool::run before check_workers_against");
    }
    std::size_t next = 0;
    const auto hand_out = [&] {
        for (int rank = free_rank(); rank > 0 && next < tasks.size() && !evaluation_service::stop_requested();
             rank = free_rank()) {
            dispatch(tasks, next++, rank);
        }
    };
    for (;;) {
        // 1. Hand out genomes while ranks have free slots.
        hand_out();
        const bool handed_out = next == tasks.size() || evaluation_service::stop_requested();
        if (handed_out && m_running.empty()) {
            return;
        }

        // 2. Take one message, or check the clocks and wait.
        auto received = protocol::poll(-1);
        if (!received) {
            check_timeouts(tasks);
            std::this_thread::sleep_for(protocol::poll_interval);
            continue;
        }
        switch (received->kind) {
        case protocol::tag::ready:
            handle_ready(received->source, received->body);
            break;
        case protocol::tag::result: {
            auto result = protocol::decode_result(received->body);
            const auto found = m_running.find(result.id);
            if (found == m_running.end() || found->second.rank != received->source) {
                throw std::runtime_error(fmt::format("worker rank {} returned task {}, which it was not given",
                                                     received->source, result.id));
            }
            const auto &task = tasks[found->second.task_index];
            if (result.record.key != genome_key(task.genome)) {
                throw std::runtime_error(fmt::format("worker rank {} returned genome {} for task {} of genome {}",
                                                     received->source, result.record.key, result.id,
                                                     genome_key(task.genome)));
            }
            result.record.batch_position = task.batch_position;
            m_running.erase(found);
            ++m_ranks[static_cast<std::size_t>(received->source)].free_slots;
            ++m_results_received;
            m_result_bytes += received->body.size();
            // The freed rank gets its next genome before the result is saved, so that saving, which
            // grows with the run file, never keeps a rank waiting.
            hand_out();
            finished(std::move(result.record), result.packed);
            break;
        }
        case protocol::tag::failure:
            throw input_error(fmt::format("worker rank {}: {}", received->source, protocol::decode_text(received->body)));
        default:
            throw std::runtime_error(fmt::format("unexpected MPI message (tag {}) from rank {}",
                                                 static_cast<int>(received->kind), received->source));
        }
    }
}

void mpi_worker_pool::handle_ready(int rank, const std::vector<std::uint8_t> &body)
{
    const auto ready = protocol::decode_ready(body);
    if (ready.fingerprint != m_fingerprint) {
        throw input_error(describe_fingerprint_mismatch(rank, ready, m_fingerprint));
    }
    auto &worker = m_ranks[static_cast<std::size_t>(rank)];
    worker.state = rank_state::ready;
    worker.free_slots = m_slots_per_rank;
    spdlog::debug("worker rank {} ready on {} (process {})", rank, ready.host, ready.process_id);
}

void mpi_worker_pool::check_timeouts(const std::vector<evaluation_task> &tasks) const
{
    const auto now = clock_type::now();
    for (const auto &[id, running] : m_running) {
        if (now - running.sent > m_timeout) {
            throw mpi_worker_lost(fmt::format("worker rank {} gave no result for genome {} within {} s", running.rank,
                                              genome_key(tasks[running.task_index].genome), m_timeout.count()));
        }
    }
    for (std::size_t rank = 1; rank < m_ranks.size(); ++rank) {
        const auto &worker = m_ranks[rank];
        if (worker.state == rank_state::setting_up && now - worker.setup_sent > m_timeout) {
            throw mpi_worker_lost(fmt::format("worker rank {} did not load the baseline and its scoring images "
                                              "within {} s",
                                              rank, m_timeout.count()));
        }
    }
}

void mpi_worker_pool::dispatch(const std::vector<evaluation_task> &tasks, std::size_t task_index, int rank)
{
    const std::uint64_t id = m_next_id++;
    const auto body = protocol::encode(protocol::task_body{id, tasks[task_index].genome});
    protocol::send(rank, protocol::tag::task, body);
    --m_ranks[static_cast<std::size_t>(rank)].free_slots;
    m_running[id] = {rank, task_index, clock_type::now()};
    ++m_tasks_sent;
    m_task_bytes += body.size();
}

int mpi_worker_pool::free_rank() const
{
    // The rank with the most free slots, so that genomes spread over the ranks before they pile up on one.
    int best = -1;
    int best_slots = 0;
    for (std::size_t rank = 1; rank < m_ranks.size(); ++rank) {
        if (m_ranks[rank].free_slots > best_slots) {
            best = static_cast<int>(rank);
            best_slots = m_ranks[rank].free_slots;
        }
    }
    return best;
}

std::string mpi_worker_pool::traffic_summary() const
{
    const auto mean = [](std::uint64_t bytes, std::uint64_t count) { return count == 0 ? 0.0 : double(bytes) / double(count); };
    return fmt::format("{} task message(s) of {:.0f} bytes on average, {} result message(s) of {:.0f} bytes on average",
                       m_tasks_sent, mean(m_task_bytes, m_tasks_sent), m_results_received,
                       mean(m_result_bytes, m_results_received));
}

} // namespace crimp::search
