#pragma once

#include <crimp/compression/quantization.hpp>

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace crimp::compression
{

// Storage scheme of a layer's kept weights.
enum class weight_encoding : std::uint8_t {
    // Plain float32 values.
    float32 = 0,
    // Indices into a table of shared values (clustered layers).
    codebook = 1,
    // Signed integer codes with one scale per output channel (quantized layers).
    uniform = 2,
};

// The compressed form of one convolution or linear weight: what the packed file stores, and what the
// in-memory model's weights are decoded from.
struct encoded_layer {
    std::string name;
    std::vector<std::int64_t> shape;
    // Flat bool keep-mask of all the weights; undefined when every weight is kept.
    torch::Tensor mask;
    weight_encoding encoding = weight_encoding::float32;
    // float32 encoding: the kept weights in memory order.
    torch::Tensor values;
    // codebook encoding: the shared float32 values, increasing and distinct.
    torch::Tensor centroids;
    // codebook: the int64 index of each kept weight; uniform: its int64 code in [−q, q].
    torch::Tensor codes;
    // uniform: the code bits. codebook: the bits of the grid the centroids lie on, or 32 for free floats.
    int bits = 32;
    // uniform: float32 step per output channel; codebook with bits < 32: the single step of the grid.
    torch::Tensor scales;
    // Quantizer of the layer's input in a full-integer model; disabled otherwise.
    activation_quantizer input;

    std::int64_t weight_count() const;
    std::int64_t kept_count() const;
};

// The dense float32 weight of the layer's shape, zeros where pruned.
torch::Tensor decode_weight(const encoded_layer &layer);

// Stores the kept weights (all when `mask` is undefined) as floats.
encoded_layer encode_float(const std::string &name, const torch::Tensor &weight, const torch::Tensor &mask);

// Quantizes the kept weights symmetrically per output channel to `bits` bits.
encoded_layer encode_uniform(const std::string &name, const torch::Tensor &weight, const torch::Tensor &mask, int bits);

// Stores each kept weight as centroids[assignment]. With bits < 32 the centroids are first rounded to a
// symmetric per-tensor grid of that many bits. Centroids that end up unused or equal are merged, so the
// table contains distinct values only. `assignments` has one int64 entry per kept weight.
encoded_layer encode_codebook(const std::string &name, const std::vector<std::int64_t> &shape, const torch::Tensor &mask,
                              const torch::Tensor &centroids, const torch::Tensor &assignments, int bits);

// The codes of the weights as 8-bit integers when they are stored in 8 bits or fewer (dense, zeros where
// pruned); undefined for float layers. Used for the deflate size of the deployed model.
torch::Tensor deployed_integer_weights(const encoded_layer &layer);

} // namespace crimp::compression
