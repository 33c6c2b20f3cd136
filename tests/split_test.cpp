#include <crimp/engine/error.hpp>
#include <crimp/engine/split.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <set>

using namespace crimp;

namespace
{

// 10 classes of 100 images each, interleaved as in CIFAR files.
std::vector<std::int64_t> balanced_labels()
{
    std::vector<std::int64_t> labels(1000);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        labels[i] = static_cast<std::int64_t>((i * 7) % 10);
    }
    return labels;
}

std::vector<std::size_t> all_positions(std::size_t count)
{
    std::vector<std::size_t> positions(count);
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    return positions;
}

} // namespace

TEST_CASE("stratified split keeps class shares")
{
    const auto labels = balanced_labels();
    const auto split = stratified_split(labels, all_positions(labels.size()), 200, 42);

    REQUIRE(split.held_out.size() == 200);
    REQUIRE(split.remaining.size() == 800);
    std::vector<int> per_class(10, 0);
    for (const auto position : split.held_out) {
        ++per_class[static_cast<std::size_t>(labels[position])];
    }
    for (const int count : per_class) {
        CHECK(count == 20);
    }
}

TEST_CASE("stratified split parts are disjoint")
{
    const auto labels = balanced_labels();
    const auto split = stratified_split(labels, all_positions(labels.size()), 333, 1);

    std::set<std::size_t> seen(split.remaining.begin(), split.remaining.end());
    for (const auto position : split.held_out) {
        CHECK(seen.count(position) == 0);
        seen.insert(position);
    }
    CHECK(seen.size() == labels.size());
    CHECK(split.held_out.size() == 333);
    CHECK(std::is_sorted(split.held_out.begin(), split.held_out.end()));
}

TEST_CASE("stratified split depends on seed only")
{
    const auto labels = balanced_labels();
    auto shuffled_positions = all_positions(labels.size());
    std::reverse(shuffled_positions.begin(), shuffled_positions.end());

    const auto first = stratified_split(labels, all_positions(labels.size()), 100, 7);
    const auto same_seed = stratified_split(labels, shuffled_positions, 100, 7);
    const auto other_seed = stratified_split(labels, all_positions(labels.size()), 100, 8);
    CHECK(first.held_out == same_seed.held_out);
    CHECK(first.held_out != other_seed.held_out);
}

TEST_CASE("stratified split rounds uneven quotas")
{
    // Class 0 has 3 images, class 1 has 1: holding out 2 gives class 0 one and a half, rounded to 2.
    const std::vector<std::int64_t> labels = {0, 0, 0, 1};
    const auto split = stratified_split(labels, all_positions(4), 2, 3);
    REQUIRE(split.held_out.size() == 2);
    CHECK(labels[split.held_out[0]] == 0);
    CHECK(labels[split.held_out[1]] == 0);
}

TEST_CASE("stratified split rejects oversized hold-out")
{
    const std::vector<std::int64_t> labels = {0, 1};
    CHECK_THROWS_AS(stratified_split(labels, all_positions(2), 3, 0), usage_error);
}
