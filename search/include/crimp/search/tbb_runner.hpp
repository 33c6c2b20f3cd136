#pragma once

#include <crimp/search/genome_evaluator.hpp>
#include <crimp/search/genome_runner.hpp>

#include <memory>

namespace crimp::search
{

// Evaluates genomes on this process: a TBB arena of `workers` threads takes one genome each at a time,
// each with its own model copy and an equal share of the LibTorch threads.
class tbb_runner : public genome_runner
{
public:
    tbb_runner(std::shared_ptr<const genome_evaluator> evaluator, worker_layout layout);

    void run(const std::vector<evaluation_task> &tasks, const evaluation_sink &finished) override;

private:
    std::shared_ptr<const genome_evaluator> m_evaluator;
    worker_layout m_layout;
};

} // namespace crimp::search
