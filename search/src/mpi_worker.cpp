#include <crimp/search/mpi_worker.hpp>

#include "mpi_protocol.hpp"

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/search/evaluator_setup.hpp>
#include <crimp/search/genome_runner.hpp>
#include <crimp/search/genome_space.hpp>

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace crimp::search
{

namespace
{

namespace protocol = mpi_protocol;

// The evaluation threads of a worker rank. The thread that talks MPI adds tasks and takes results, and
// the evaluation threads never call MPI, as MPI_THREAD_FUNNELED requires. The threads share their state
// through a shared pointer, so that closing the slots need not wait for a running evaluation. After rank
// 0 sends stop, the worker ends without finishing it (see mpi_environment::finalize_and_exit).
class evaluation_slots
{
public:
    evaluation_slots(std::shared_ptr<const genome_evaluator> evaluator, worker_layout layout)
        : m_shared(std::make_shared<shared_state>())
    {
        m_shared->evaluator = std::move(evaluator);
        m_shared->layout = layout;
        try {
            for (int i = 0; i < layout.workers; ++i) {
                m_threads.emplace_back([state = m_shared] { evaluate_until_closed(*state); });
            }
        } catch (...) {
            close();
            throw;
        }
    }

    ~evaluation_slots() { close(); }

    evaluation_slots(const evaluation_slots &) = delete;
    evaluation_slots &operator=(const evaluation_slots &) = delete;

    void add(protocol::task_body task)
    {
        {
            std::lock_guard<std::mutex> lock(m_shared->mutex);
            m_shared->pending.push_back(std::move(task));
        }
        m_shared->wake.notify_one();
    }

    std::vector<protocol::result_body> take_finished()
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        if (!m_shared->failure.empty()) {
            throw std::runtime_error(m_shared->failure);
        }
        return std::exchange(m_shared->finished, {});
    }

private:
    struct shared_state {
        std::shared_ptr<const genome_evaluator> evaluator;
        worker_layout layout;
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<protocol::task_body> pending;
        std::vector<protocol::result_body> finished;
        std::string failure;
        bool closed = false;
    };

    // Drops the tasks not started and lets the threads go; a running evaluation ends on its own or
    // with the process.
    void close()
    {
        {
            std::lock_guard<std::mutex> lock(m_shared->mutex);
            m_shared->closed = true;
            m_shared->pending.clear();
        }
        m_shared->wake.notify_all();
        for (auto &thread : m_threads) {
            thread.detach();
        }
        m_threads.clear();
    }

    static void evaluate_until_closed(shared_state &state)
    {
        for (;;) {
            protocol::task_body task;
            {
                std::unique_lock<std::mutex> lock(state.mutex);
                state.wake.wait(lock, [&state] { return state.closed || !state.pending.empty(); });
                if (state.closed) {
                    return;
                }
                task = std::move(state.pending.front());
                state.pending.pop_front();
            }
            protocol::result_body result;
            result.id = task.id;
            try {
                result.record = state.evaluator->evaluate(task.genome, state.layout.threads_per_worker, result.packed);
            } catch (const std::exception &error) {
                std::lock_guard<std::mutex> lock(state.mutex);
                state.failure = "evaluating genome " + genome_key(task.genome) + " failed: " + error.what();
                return;
            }
            std::lock_guard<std::mutex> lock(state.mutex);
            state.finished.push_back(std::move(result));
        }
    }

    std::shared_ptr<shared_state> m_shared;
    std::vector<std::thread> m_threads;
};

std::shared_ptr<const genome_evaluator> set_up_evaluator(const search_config &config)
{
    if (!std::filesystem::is_regular_file(config.baseline)) {
        throw input_error("baseline '" + config.baseline.string() + "' not found: every rank reads the baseline and the dataset at the run's paths; put them on a "
                            "shared filesystem or copy them to the same paths on every machine");
    }
    set_torch_threads(config.threads);
    return make_genome_evaluator(config, load_model(config.baseline));
}

void wait_for_stop()
{
    while (protocol::wait(protocol::coordinator).kind != protocol::tag::stop) {
    }
    protocol::send(protocol::coordinator, protocol::tag::stopped);
}

// Evaluates the tasks of rank 0 until it sends stop.
void serve_tasks(const std::shared_ptr<const genome_evaluator> &evaluator, const search_config &config)
{
    evaluation_slots slots(evaluator, resolve_worker_layout(config));
    for (;;) {
        bool active = false;
        if (auto received = protocol::poll(protocol::coordinator)) {
            active = true;
            if (received->kind == protocol::tag::stop) {
                break;
            }
            if (received->kind != protocol::tag::task) {
                throw std::runtime_error("unexpected MPI message (tag " + std::to_string(static_cast<int>(received->kind))
                                         + ") from rank 0");
            }
            slots.add(protocol::decode_task(received->body));
        }
        for (const auto &result : slots.take_finished()) {
            active = true;
            protocol::send(protocol::coordinator, protocol::tag::result, protocol::encode(result));
        }
        if (!active) {
            std::this_thread::sleep_for(protocol::poll_interval);
        }
    }
    protocol::send(protocol::coordinator, protocol::tag::stopped);
}

} // namespace

void serve_genome_evaluations(const mpi_environment &environment)
{
    // 1. The configuration, unless rank 0 stops before it sends one.
    const auto first = protocol::wait(protocol::coordinator);
    if (first.kind == protocol::tag::stop) {
        protocol::send(protocol::coordinator, protocol::tag::stopped);
        return;
    }
    if (first.kind != protocol::tag::setup) {
        throw std::runtime_error("unexpected MPI message (tag " + std::to_string(static_cast<int>(first.kind))
                                 + ") from rank 0 before the configuration");
    }

    // 2. The baseline and the scoring images, once. Rank 0 receives the reason when they cannot be loaded.
    search_config config;
    std::shared_ptr<const genome_evaluator> evaluator;
    try {
        config = config_from_json(protocol::decode_text(first.body), "the configuration sent by rank 0");
        evaluator = set_up_evaluator(config);
    } catch (const std::exception &error) {
        protocol::send(protocol::coordinator, protocol::tag::failure,
                       protocol::encode_text("host " + environment.host() + ": " + error.what()));
        wait_for_stop();
        return;
    }
    protocol::send(protocol::coordinator, protocol::tag::ready,
                   protocol::encode(protocol::ready_body{environment.host(), static_cast<long>(::getpid()),
                                                         protocol::scoring_fingerprint(*evaluator)}));

    // 3. Genomes until stop; a failure outside any genome goes to rank 0, which ends the run.
    try {
        serve_tasks(evaluator, config);
    } catch (const std::exception &error) {
        protocol::send(protocol::coordinator, protocol::tag::failure,
                       protocol::encode_text("host " + environment.host() + ": " + error.what()));
        wait_for_stop();
    }
}

} // namespace crimp::search
