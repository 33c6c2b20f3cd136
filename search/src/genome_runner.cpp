#include <crimp/search/genome_runner.hpp>

#include <algorithm>
#include <thread>

namespace crimp::search
{

worker_layout resolve_worker_layout(const search_config &config)
{
    const int threads = config.threads > 0 ? config.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    worker_layout layout;
    layout.workers = std::max(1, std::min(config.workers, threads));
    layout.threads_per_worker = std::max(1, threads / layout.workers);
    return layout;
}

} // namespace crimp::search
