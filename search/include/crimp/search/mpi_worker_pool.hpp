#pragma once

#include <crimp/search/genome_runner.hpp>
#include <crimp/search/mpi_environment.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

namespace crimp::search
{

class genome_evaluator;

// Raised on rank 0 when a worker rank gave no result within the timeout. The run file still contains
// every finished evaluation and the last complete generation. The caller ends the job with
// mpi_environment::abort, since the silent rank cannot take part in MPI_Finalize.
class mpi_worker_lost : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The genome runner of rank 0 in a distributed search: hands genomes to the worker ranks as they become
// free (each rank takes as many at once as its configured TBB workers) and collects their results.
// Dynamic scheduling keeps every rank busy when genomes take unequal times, as fine-tuned and
// one-shot genomes do.
class mpi_worker_pool : public genome_runner
{
public:
    // `timeout` bounds a worker's set-up and each of its evaluations.
    mpi_worker_pool(const mpi_environment &environment, std::chrono::seconds timeout);
    // Tells every worker rank to stop, so that the job ends whatever way rank 0 leaves.
    ~mpi_worker_pool() override;
    mpi_worker_pool(const mpi_worker_pool &) = delete;
    mpi_worker_pool &operator=(const mpi_worker_pool &) = delete;

    // Sends the configuration to every worker rank, which then loads the baseline and builds its
    // scoring images while rank 0 builds its own. Ranks join as they become ready; run() waits for them.
    void start(const search_config &config);

    // Sets rank 0's evaluator as the reference: a worker whose baseline errors on its scoring images
    // differ from the reference's is rejected. Needed before run().
    void check_workers_against(const genome_evaluator &reference);

    void run(const std::vector<evaluation_task> &tasks, const evaluation_sink &finished) override;

    // Message counts and mean sizes so far, for the log and the scaling model of docs/distributed.md.
    std::string traffic_summary() const;

private:
    enum class rank_state { not_started, setting_up, ready };

    struct worker_rank {
        rank_state state = rank_state::not_started;
        std::chrono::steady_clock::time_point setup_sent;
        int free_slots = 0;
    };

    struct running_task {
        int rank = 0;
        std::size_t task_index = 0;
        std::chrono::steady_clock::time_point sent;
    };

    void handle_ready(int rank, const std::vector<std::uint8_t> &body);
    void check_timeouts(const std::vector<evaluation_task> &tasks) const;
    void dispatch(const std::vector<evaluation_task> &tasks, std::size_t task_index, int rank);
    int free_rank() const;

    int m_size;
    std::chrono::seconds m_timeout;
    std::vector<worker_rank> m_ranks;
    std::vector<double> m_fingerprint;
    int m_slots_per_rank = 1;
    std::map<std::uint64_t, running_task> m_running;
    std::uint64_t m_next_id = 0;
    std::uint64_t m_tasks_sent = 0;
    std::uint64_t m_task_bytes = 0;
    std::uint64_t m_results_received = 0;
    std::uint64_t m_result_bytes = 0;
};

} // namespace crimp::search
