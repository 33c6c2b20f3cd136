#pragma once

#include <vector>

namespace crimp::objectives
{

// Whether a point dominates another when every objective is minimised: no worse in all objectives and
// strictly better in at least one.
bool dominates(const std::vector<double> &a, const std::vector<double> &b);

// Marks the points that no other point dominates. Equal points do not dominate each other, so
// duplicates of a non-dominated point are all marked.
std::vector<bool> non_dominated(const std::vector<std::vector<double>> &points);

} // namespace crimp::objectives
