#include <crimp/compression/clustering.hpp>

#include <crimp/engine/error.hpp>
#include <crimp/engine/rng.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace crimp::compression
{

namespace
{

// Values sorted once, with prefix sums so that the mean of any run costs O(1).
struct sorted_values {
    std::vector<double> values;
    std::vector<double> prefix_sums;

    explicit sorted_values(const std::vector<float> &input) : values(input.begin(), input.end())
    {
        std::sort(values.begin(), values.end());
        prefix_sums.assign(values.size() + 1, 0.0);
        std::partial_sum(values.begin(), values.end(), prefix_sums.begin() + 1);
    }
};

std::vector<double> linear_centroids(const sorted_values &sorted, int clusters)
{
    const double low = sorted.values.front();
    const double high = sorted.values.back();
    std::vector<double> centroids(static_cast<std::size_t>(clusters));
    for (int j = 0; j < clusters; ++j) {
        centroids[static_cast<std::size_t>(j)] = low + (high - low) * j / (clusters - 1);
    }
    return centroids;
}

// k-means++: each next centroid is a value drawn with probability proportional to its squared
// distance from the nearest centroid chosen so far.
std::vector<double> kmeans_plus_plus_centroids(const sorted_values &sorted, int clusters, std::uint64_t seed)
{
    const auto &values = sorted.values;
    splitmix64 generator(seed);
    std::vector<double> centroids{values[generator.below(values.size())]};
    std::vector<double> distances(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        distances[i] = (values[i] - centroids[0]) * (values[i] - centroids[0]);
    }

    while (centroids.size() < static_cast<std::size_t>(clusters)) {
        const double total = std::accumulate(distances.begin(), distances.end(), 0.0);
        if (!(total > 0.0)) {
            break; // Every value already equals a centroid.
        }
        double target = generator.uniform() * total;
        std::size_t chosen = values.size() - 1;
        for (std::size_t i = 0; i < values.size(); ++i) {
            target -= distances[i];
            if (target < 0.0 && distances[i] > 0.0) {
                chosen = i;
                break;
            }
        }
        const double centroid = values[chosen];
        centroids.push_back(centroid);
        for (std::size_t i = 0; i < values.size(); ++i) {
            distances[i] = std::min(distances[i], (values[i] - centroid) * (values[i] - centroid));
        }
    }
    std::sort(centroids.begin(), centroids.end());
    return centroids;
}

// Index of the first sorted value of each cluster, plus the end: values nearer to centroid j than to
// its neighbours form a contiguous run because both are sorted.
std::vector<std::size_t> cluster_starts(const sorted_values &sorted, const std::vector<double> &centroids)
{
    std::vector<std::size_t> starts{0};
    for (std::size_t j = 0; j + 1 < centroids.size(); ++j) {
        const double midpoint = 0.5 * (centroids[j] + centroids[j + 1]);
        const auto position = std::lower_bound(sorted.values.begin(), sorted.values.end(), midpoint);
        starts.push_back(static_cast<std::size_t>(position - sorted.values.begin()));
    }
    starts.push_back(sorted.values.size());
    return starts;
}

// One Lloyd step; returns whether any centroid moved. Empty clusters keep their centroid.
bool update_centroids(const sorted_values &sorted, std::vector<double> &centroids)
{
    const auto starts = cluster_starts(sorted, centroids);
    bool moved = false;
    for (std::size_t j = 0; j < centroids.size(); ++j) {
        const std::size_t count = starts[j + 1] - starts[j];
        if (count == 0) {
            continue;
        }
        const double mean = (sorted.prefix_sums[starts[j + 1]] - sorted.prefix_sums[starts[j]]) / static_cast<double>(count);
        moved = moved || mean != centroids[j];
        centroids[j] = mean;
    }
    std::sort(centroids.begin(), centroids.end());
    return moved;
}

// Assigns each value its nearest centroid, then drops centroids that no value uses.
clustering assign(const std::vector<float> &values, const std::vector<float> &centroids)
{
    std::vector<double> midpoints;
    for (std::size_t j = 0; j + 1 < centroids.size(); ++j) {
        midpoints.push_back(0.5 * (static_cast<double>(centroids[j]) + static_cast<double>(centroids[j + 1])));
    }
    std::vector<std::int32_t> raw(values.size());
    std::vector<std::int64_t> counts(centroids.size(), 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto position = std::lower_bound(midpoints.begin(), midpoints.end(), static_cast<double>(values[i]));
        raw[i] = static_cast<std::int32_t>(position - midpoints.begin());
        ++counts[static_cast<std::size_t>(raw[i])];
    }

    clustering result;
    std::vector<std::int32_t> renumbered(centroids.size(), -1);
    for (std::size_t j = 0; j < centroids.size(); ++j) {
        if (counts[j] > 0) {
            renumbered[j] = static_cast<std::int32_t>(result.centroids.size());
            result.centroids.push_back(centroids[j]);
        }
    }
    result.assignments.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        result.assignments[i] = renumbered[static_cast<std::size_t>(raw[i])];
    }
    return result;
}

} // namespace

centroid_init parse_centroid_init(const std::string &name)
{
    if (name == "kmeans++") {
        return centroid_init::kmeans_plus_plus;
    }
    if (name == "linear") {
        return centroid_init::linear;
    }
    throw usage_error("invalid centroid initialisation '" + name + "': expected kmeans++ or linear");
}

clustering cluster_values(const std::vector<float> &values, int clusters, centroid_init init, std::uint64_t seed,
                          int max_iterations)
{
    if (clusters < 2 || clusters > 256) {
        throw usage_error("invalid clusters " + std::to_string(clusters) + ": expected 2 to 256");
    }
    if (values.empty()) {
        return {};
    }

    std::vector<float> distinct(values);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() <= static_cast<std::size_t>(clusters)) {
        return assign(values, distinct);
    }

    const sorted_values sorted(values);
    auto centroids = init == centroid_init::linear ? linear_centroids(sorted, clusters)
                                                   : kmeans_plus_plus_centroids(sorted, clusters, seed);
    for (int iteration = 0; iteration < max_iterations && update_centroids(sorted, centroids); ++iteration) {
    }

    std::vector<float> rounded(centroids.begin(), centroids.end());
    rounded.erase(std::unique(rounded.begin(), rounded.end()), rounded.end());
    return assign(values, rounded);
}

} // namespace crimp::compression
