#pragma once

#include <crimp/search/run_state.hpp>

#include <vector>

namespace crimp::search
{

// Positions in state.evaluations of the successful evaluations of non-domination rank `rank` or better
// (1: the Pareto front over every genome evaluated so far), ordered by key.
std::vector<std::size_t> front_positions(const run_state &state, int rank = 1);

// Positions of the non-dominated objective vectors among `objectives`.
std::vector<std::size_t> non_dominated(const std::vector<std::array<double, 3>> &objectives);

// Hypervolume dominated by the objective vectors that lie below the reference point in every objective.
double hypervolume(const std::vector<std::array<double, 3>> &objectives, const std::array<double, 3> &reference);

} // namespace crimp::search
