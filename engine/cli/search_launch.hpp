#pragma once

// How `crimp search` and `crimp resume` run: on this process, or as one rank of a distributed search.

#include "command_line.hpp"

#include <functional>
#include <string>

namespace crimp::search
{
class mpi_worker_pool;
}

namespace crimp::cli
{

// Adds --mpi and --mpi-timeout.
void add_mpi_options(po::options_description &options);

// Runs a search step that writes `run_file`. Without --mpi, `step` runs here with a null pool, and
// Ctrl-C lets the running evaluations finish, then exits with status 130. With --mpi under mpirun, rank
// 0 runs `step` with the pool of worker ranks, and every other rank serves genome evaluations. A worker
// rank that times out ends the job with status 1, and the run file stays resumable. A job of a single
// rank falls back to this process with a warning.
void run_search_step(const po::variables_map &values, const std::string &run_file,
                     const std::function<void(search::mpi_worker_pool *)> &step);

} // namespace crimp::cli
