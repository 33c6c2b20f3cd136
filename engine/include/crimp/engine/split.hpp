#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace crimp
{

struct index_split {
    std::vector<std::size_t> remaining;
    std::vector<std::size_t> held_out;
};

// Holds out held_out_count of the given positions, stratified by class: every class gives the same
// share of its images (largest-remainder rounding), chosen by a seeded shuffle. Both parts are
// returned in ascending position order, so the split depends only on the labels, count and seed.
index_split stratified_split(const std::vector<std::int64_t> &labels, const std::vector<std::size_t> &positions,
                             std::size_t held_out_count, std::uint64_t seed);

} // namespace crimp
