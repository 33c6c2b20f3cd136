#include <crimp/engine/split.hpp>

#include <crimp/engine/error.hpp>
#include <crimp/engine/rng.hpp>

#include <algorithm>
#include <map>
#include <string>

namespace crimp
{

index_split stratified_split(const std::vector<std::int64_t> &labels, const std::vector<std::size_t> &positions,
                             std::size_t held_out_count, std::uint64_t seed)
{
    if (held_out_count > positions.size()) {
        throw usage_error("cannot hold out " + std::to_string(held_out_count) + " images from "
                          + std::to_string(positions.size()) + ": lower the count");
    }

    // 1. Group the positions by class, in ascending order so the grouping does not depend on input order.
    std::vector<std::size_t> sorted_positions = positions;
    std::sort(sorted_positions.begin(), sorted_positions.end());
    std::map<std::int64_t, std::vector<std::size_t>> by_class;
    for (const auto position : sorted_positions) {
        by_class[labels.at(position)].push_back(position);
    }

    // 2. Give every class its proportional quota, rounding down, then hand the remaining images to the
    //    classes with the largest remainders (ties go to the lower label).
    const std::size_t total = sorted_positions.size();
    std::vector<std::pair<std::int64_t, std::size_t>> remainders;
    std::map<std::int64_t, std::size_t> quota;
    std::size_t assigned = 0;
    for (const auto &[label, members] : by_class) {
        const std::size_t exact_times_total = held_out_count * members.size();
        quota[label] = exact_times_total / total;
        assigned += quota[label];
        remainders.emplace_back(label, exact_times_total % total);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    for (std::size_t i = 0; assigned < held_out_count; ++i, ++assigned) {
        ++quota[remainders[i].first];
    }

    // 3. Shuffle each class with its own stream and hold out the first quota members.
    index_split split;
    for (auto &[label, members] : by_class) {
        splitmix64 generator(derive_seed(seed, static_cast<std::uint64_t>(label)));
        shuffle(members, generator);
        const auto boundary = members.begin() + static_cast<std::ptrdiff_t>(quota[label]);
        split.held_out.insert(split.held_out.end(), members.begin(), boundary);
        split.remaining.insert(split.remaining.end(), boundary, members.end());
    }
    std::sort(split.held_out.begin(), split.held_out.end());
    std::sort(split.remaining.begin(), split.remaining.end());
    return split;
}

} // namespace crimp
