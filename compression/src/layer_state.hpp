#pragma once

// The compression of one layer while it is being built: its pruning mask, its clusters and its weight
// bits, before they are frozen into an encoded_layer.

#include <crimp/compression/compressor.hpp>
#include <crimp/compression/encoded_layer.hpp>
#include <crimp/engine/compressible_layers.hpp>

#include <memory>
#include <vector>

namespace crimp::compression
{

struct layer_state {
    compressible_layer layer;
    // Bool keep-mask of the weight's shape; undefined when the layer is not pruned.
    torch::Tensor mask;
    // float32 shared values, trained while fine-tuning; undefined when the layer is not clustered.
    torch::Tensor centroids;
    // int64 centroid index of every weight (flat), 0 for pruned weights.
    torch::Tensor assignments;
    // float32 weights per centroid, to turn the centroids' summed gradient into a mean.
    torch::Tensor counts;
    // Deployed weight bits: 2 to 8, or 32 for float.
    int bits = 32;
};

// Prunes and clusters the model's layers as the genome requests. The model's weights are not changed.
// The model must be on the CPU.
std::vector<std::shared_ptr<layer_state>> plan_layers(ClassifierImpl &model, const genome &settings,
                                                      const compression_options &options);

// Moves the masks, centroids and assignments to a device, e.g. beside a model moved there to fine-tune.
void move_states(const std::vector<std::shared_ptr<layer_state>> &states, const torch::Device &device);

// The weight a layer computes with while fine-tuning: centroids gathered by assignment, masked, and
// fake-quantized, differentiable with respect to the stored weight or the centroids.
torch::Tensor training_weight(const layer_state &state, const torch::Tensor &weight);

// Makes every layer compute with training_weight.
void install_training_rewrites(const std::vector<std::shared_ptr<layer_state>> &states);

// Sets pruned stored weights back to zero, so that momentum and weight decay never revive them.
void reapply_masks(const std::vector<std::shared_ptr<layer_state>> &states);

// Freezes a layer's state into its compressed form.
encoded_layer encode_state(const layer_state &state);

} // namespace crimp::compression
