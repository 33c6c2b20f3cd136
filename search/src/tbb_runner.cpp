#include <crimp/search/tbb_runner.hpp>

#include <crimp/search/evaluation_service.hpp>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace crimp::search
{

tbb_runner::tbb_runner(std::shared_ptr<const genome_evaluator> evaluator, worker_layout layout)
    : m_evaluator(std::move(evaluator)), m_layout(layout)
{
}

void tbb_runner::run(const std::vector<evaluation_task> &tasks, const evaluation_sink &finished)
{
    tbb::task_arena arena(m_layout.workers);
    arena.execute([&] {
        // One task per chunk, so that a worker that finishes early takes the next genome.
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, tasks.size(), 1),
                          [&](const tbb::blocked_range<std::size_t> &range) {
                              for (std::size_t i = range.begin(); i != range.end(); ++i) {
                                  if (evaluation_service::stop_requested()) {
                                      return;
                                  }
                                  std::vector<std::uint8_t> packed;
                                  auto record = m_evaluator->evaluate(tasks[i].genome, m_layout.threads_per_worker, packed);
                                  record.batch_position = tasks[i].batch_position;
                                  finished(std::move(record), packed);
                              }
                          },
                          tbb::simple_partitioner());
    });
}

} // namespace crimp::search
