#pragma once

#include <crimp/search/mpi_environment.hpp>

namespace crimp::search
{

// The life of every rank but 0 in a distributed search: waits for rank 0's configuration, loads the
// baseline and builds the scoring images once, then evaluates the genomes rank 0 sends (as many at once
// as the configured workers) until rank 0 says stop. A worker that cannot set up reports why to rank 0,
// which ends the run with that message.
void serve_genome_evaluations(const mpi_environment &environment);

} // namespace crimp::search
