#include "search_launch.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/search/evaluation_service.hpp>
#include <crimp/search/mpi_environment.hpp>
#include <crimp/search/mpi_worker.hpp>
#include <crimp/search/mpi_worker_pool.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <unistd.h>

namespace crimp::cli
{

namespace
{

using namespace crimp::search;

constexpr int exit_interrupted = 130;
constexpr int exit_worker_lost = 1;

extern "C" void on_interrupt(int)
{
    evaluation_service::request_stop();
    constexpr char message[] = "\ncrimp: interrupted; stopping once the running evaluations (or the baseline "
                               "training) finish. Ctrl-C again stops now\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    std::signal(SIGINT, SIG_DFL);
}

// Runs `step` so that Ctrl-C saves the finished evaluations and exits with status 130.
void run_interruptible(const std::string &run_file, const std::function<void()> &step)
{
    std::signal(SIGINT, on_interrupt);
    try {
        step();
    } catch (const search_interrupted &) {
        spdlog::warn("search interrupted; the finished evaluations are saved. Continue with `crimp resume {}`",
                     run_file);
        throw exit_status_request{exit_interrupted};
    }
}

// Worker ranks log warnings and errors only, each line marked with its rank.
void configure_worker_logging(int rank)
{
    auto logger = spdlog::default_logger();
    logger->set_pattern(fmt::format("[%H:%M:%S] [rank {}] [%^%l%$] %v", rank));
    if (logger->level() == spdlog::level::info) {
        logger->set_level(spdlog::level::warn);
    }
}

void run_as_rank(const mpi_environment &environment, const po::variables_map &values, const std::string &run_file,
                 const std::function<void(mpi_worker_pool *)> &step)
{
    if (environment.rank() != 0) {
        configure_worker_logging(environment.rank());
        serve_genome_evaluations(environment);
        environment.finalize_and_exit(0);
    }
    mpi_worker_pool ranks(environment, std::chrono::seconds(values["mpi-timeout"].as<int>()));
    try {
        run_interruptible(run_file, [&] { step(&ranks); });
    } catch (const mpi_worker_lost &error) {
        spdlog::error("{}. The run file keeps every finished evaluation and the last complete generation: continue "
                      "with `crimp resume {}` (on any number of ranks), with a larger --mpi-timeout if evaluations "
                      "take that long",
                      error.what(), run_file);
        environment.abort(exit_worker_lost);
    }
}

} // namespace

void add_mpi_options(po::options_description &options)
{
    options.add_options()
        ("mpi", "evaluate genomes on MPI worker ranks: launch with `mpirun -np N` (N >= 2); rank 0 runs NSGA-II and "
                "writes the run file")
        ("mpi-timeout", po::value<int>()->default_value(3600)->value_name("SECONDS"),
         "with --mpi: the longest a worker rank may take to set up or to evaluate one genome before the run stops "
         "(resumable)");
}

void run_search_step(const po::variables_map &values, const std::string &run_file,
                     const std::function<void(mpi_worker_pool *)> &step)
{
    // Checked before MPI starts, so that every rank stops alike.
    const int timeout = values["mpi-timeout"].as<int>();
    if (timeout < 1) {
        throw usage_error(fmt::format("invalid --mpi-timeout {}: expected a number of seconds, 1 or more", timeout));
    }
    if (values.count("mpi") == 0U) {
        run_interruptible(run_file, [&] { step(nullptr); });
        return;
    }
    const mpi_environment environment;
    if (environment.size() == 1) {
        spdlog::warn("--mpi in a job of one process: evaluating on this process's workers. Launch with `mpirun -np N "
                     "crimp ...` (N >= 2) to evaluate on N - 1 worker ranks");
        run_interruptible(run_file, [&] { step(nullptr); });
        return;
    }
    run_as_rank(environment, values, run_file, step);
}

} // namespace crimp::cli
