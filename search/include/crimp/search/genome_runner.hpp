#pragma once

#include <crimp/compression/genome.hpp>
#include <crimp/search/evaluation_record.hpp>
#include <crimp/search/search_config.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace crimp::search
{

// One genome that the cache did not hold, and its position in the batch that asked for it.
struct evaluation_task {
    std::size_t batch_position = 0;
    compression::genome genome;
};

// Receives each finished evaluation with its packed model (empty when the evaluation failed or was
// simulated). It may be called from several threads at once.
using evaluation_sink = std::function<void(evaluation_record record, const std::vector<std::uint8_t> &packed)>;

// Evaluates tasks somewhere: on this process's TBB workers or on MPI worker ranks. A runner starts no new
// task once evaluation_service::request_stop() was called, and returns when the running ones finished.
class genome_runner
{
public:
    virtual ~genome_runner() = default;

    // Evaluates every task (until a stop request) and hands each result to `finished`, in any order.
    // Records carry the task's batch position; the caller sets their generation.
    virtual void run(const std::vector<evaluation_task> &tasks, const evaluation_sink &finished) = 0;
};

// The core sharing of one process: `workers` genomes at once, each with `threads_per_worker` LibTorch
// threads, never more than the configured threads together.
struct worker_layout {
    int workers = 1;
    int threads_per_worker = 1;
};

worker_layout resolve_worker_layout(const search_config &config);

} // namespace crimp::search
