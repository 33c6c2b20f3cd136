#pragma once

#include <torch/types.h>

#include <vector>

namespace crimp::compression
{

// Scope of the magnitude threshold: each layer separately (each reaches the target sparsity), or all
// the layers together (the whole set reaches it).
enum class pruning_scope { layer, global };

struct pruning_options {
    double sparsity = 0.0;
    pruning_scope scope = pruning_scope::layer;
    // Remove whole output filters by L1 norm instead of single weights.
    bool structured = false;
};

// Boolean masks of the weights to keep, one per weight tensor and of its shape. Unstructured pruning
// removes the round(sparsity · n) weights of smallest magnitude. Structured pruning removes the
// round(sparsity · filters) output filters of smallest L1 norm, divided by the filter size when the scope
// is global so that layers of different fan-in compete fairly. Ties are broken by position: of equal
// magnitudes, the first in memory order is pruned first.
std::vector<torch::Tensor> magnitude_masks(const std::vector<torch::Tensor> &weights, const pruning_options &options);

} // namespace crimp::compression
