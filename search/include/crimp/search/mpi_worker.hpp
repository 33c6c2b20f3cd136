#pragma once

#include <crimp/search/mpi_environment.hpp>

namespace crimp::search
{

// Serves a distributed search on every rank but 0. The worker waits for rank 0's configuration, loads
// the baseline and builds the scoring images once. It then evaluates the genomes that rank 0 sends, as
// many at once as the configured workers, until rank 0 sends stop. A worker that cannot set up sends
// the reason to rank 0, which ends the run with that message.
void serve_genome_evaluations(const mpi_environment &environment);

} // namespace crimp::search
