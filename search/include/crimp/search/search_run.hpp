#pragma once

#include <crimp/search/search_config.hpp>

#include <filesystem>
#include <optional>

namespace crimp::search
{

class mpi_worker_pool;

// Starts a search and writes its run file. The baseline is trained first when its file is absent.
// Raises usage_error when the run file exists and `force` is false, and input_error when another
// process has it locked. With `ranks`, rank 0 of a distributed search hands genomes to MPI worker
// ranks; the evaluations and the front are the same as without.
void start_search(const search_config &config, const std::filesystem::path &run_file, bool force,
                  mpi_worker_pool *ranks = nullptr);

// Continues a search from its last complete generation, or from the start when none completed; new
// `generations` (the total) extend or shorten the run. Genomes already evaluated are never evaluated
// again.
void resume_search(const std::filesystem::path &run_file, std::optional<int> generations,
                   mpi_worker_pool *ranks = nullptr);

} // namespace crimp::search
