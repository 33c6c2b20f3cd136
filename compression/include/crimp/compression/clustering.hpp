#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace crimp::compression
{

// Starting centroids of k-means: k-means++ seeding (Arthur and Vassilvitskii, 2007) or k values
// evenly spaced between the smallest and the largest weight.
enum class centroid_init { kmeans_plus_plus, linear };

// Parses "kmeans++" or "linear"; raises usage_error naming the value otherwise.
centroid_init parse_centroid_init(const std::string &name);

struct clustering {
    // Shared values in increasing order; at most the requested count, fewer when some would be empty
    // or when there are fewer distinct values.
    std::vector<float> centroids;
    // Index into `centroids` of each input value.
    std::vector<std::int32_t> assignments;
};

// One-dimensional k-means (Lloyd's algorithm on sorted values, so that each iteration costs
// O(k log n)) of `values` into at most `clusters` groups. When the values hold no more distinct numbers
// than `clusters`, each distinct number becomes its own centroid and every value is kept exactly.
// A cluster that empties keeps its centroid and is dropped at the end, so no centroid is NaN.
clustering cluster_values(const std::vector<float> &values, int clusters, centroid_init init, std::uint64_t seed,
                          int max_iterations = 100);

} // namespace crimp::compression
