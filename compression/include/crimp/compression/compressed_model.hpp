#pragma once

#include <crimp/compression/encoded_layer.hpp>
#include <crimp/compression/genome.hpp>
#include <crimp/engine/checkpoint.hpp>

#include <vector>

namespace crimp::compression
{

// A zoo model together with the compressed form of its convolution and linear weights. The model's
// weights are always the decoded layers, so running it gives what the deployed model computes.
struct compressed_model {
    classifier_ptr model;
    // The baseline's architecture, dataset, normalisation and split.
    model_metadata metadata;
    genome settings;
    // One entry per compressible layer of the model, in the order of compressible_layers().
    std::vector<encoded_layer> layers;
};

// Copies each layer's decoded weight into the model and, for a full-integer model, makes every layer
// quantize its input with the layer's activation quantizer.
void apply_encoding(compressed_model &compressed);

// The baseline with every weight kept as float32: the reference size of the compression ratio.
compressed_model uncompressed(const trained_model &baseline);

// The model's float parameters and buffers other than the compressible weights (biases, batch norm
// parameters and statistics), in the order of its parameters then its buffers.
std::vector<torch::Tensor> float_tensors(ClassifierImpl &model);

// A fresh copy of a model's parameters and buffers in a new instance of the same architecture.
classifier_ptr copy_model(ClassifierImpl &model, const model_metadata &metadata);

} // namespace crimp::compression
