#include <crimp/search/mpi_worker.hpp>

#include "mpi_protocol.hpp"

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/search/evaluator_setup.hpp>
#include <crimp/search/genome_runner.hpp>

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

// The evaluation threads of a worker rank. The thread that talks MPI adds tasks and takes results; the
// evaluation threads never call MPI, as MPI_THREAD_FUNNELED requires.
class evaluation_slots
{
public:
    evaluation_slots(std::shared_ptr<const genome_evaluator> evaluator, worker_layout layout)
        : m_evaluator(std::move(evaluator)), m_layout(layout)
    {
        for (int i = 0; i < m_layout.workers; ++i) {
            m_threads.emplace_back([this] { evaluate_until_closed(); });
        }
    }

    // Lets the running evaluations finish; their results are dropped.
    ~evaluation_slots()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_closed = true;
            m_pending.clear();
        }
        m_wake.notify_all();
        for (auto &thread : m_threads) {
            thread.join();
        }
    }

    void add(protocol::task_body task)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_pending.push_back(std::move(task));
        }
        m_wake.notify_one();
    }

    std::vector<protocol::result_body> take_finished()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_failure.empty()) {
            throw std::runtime_error(m_failure);
        }
        return std::exchange(m_finished, {});
    }

private:
    void evaluate_until_closed()
    {
        for (;;) {
            protocol::task_body task;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait(lock, [this] { return m_closed || !m_pending.empty(); });
                if (m_closed) {
                    return;
                }
                task = std::move(m_pending.front());
                m_pending.pop_front();
            }
            protocol::result_body result;
            result.id = task.id;
            try {
                result.record = m_evaluator->evaluate(task.genome, m_layout.threads_per_worker, result.packed);
            } catch (const std::exception &error) {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_failure = std::string("evaluation failed outside the genome: ") + error.what();
                return;
            }
            std::lock_guard<std::mutex> lock(m_mutex);
            m_finished.push_back(std::move(result));
        }
    }

    std::shared_ptr<const genome_evaluator> m_evaluator;
    worker_layout m_layout;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<protocol::task_body> m_pending;
    std::vector<protocol::result_body> m_finished;
    std::string m_failure;
    bool m_closed = false;
    std::vector<std::thread> m_threads;
};

std::shared_ptr<const genome_evaluator> set_up_evaluator(const search_config &config, const std::string &host)
{
    if (!std::filesystem::is_regular_file(config.baseline)) {
        throw input_error("baseline '" + config.baseline.string() + "' not found on host " + host
                          + ": every rank reads the baseline and the dataset at the run's paths; put them on a "
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

    // 2. The baseline and the scoring images, once. Rank 0 receives the reason when they cannot be loaded.
    search_config config;
    std::shared_ptr<const genome_evaluator> evaluator;
    try {
        config = config_from_json(protocol::decode_text(first.body), "the configuration sent by rank 0");
        evaluator = set_up_evaluator(config, environment.host());
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
