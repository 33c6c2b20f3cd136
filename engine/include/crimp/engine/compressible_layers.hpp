#pragma once

// The convolutions and linear layers of the zoo, with room for the rewrites that compression needs in
// the forward pass: simulated quantization of inputs and weights, and weights rebuilt from pruning masks
// and cluster centroids while fine-tuning. A layer without rewrites runs as the stock LibTorch layer.

#include <crimp/engine/classifier.hpp>

#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <functional>
#include <string>
#include <vector>

namespace crimp
{

using tensor_rewrite = std::function<torch::Tensor(const torch::Tensor &)>;

struct layer_rewrites {
    // Maps the stored weight to the weight the layer multiplies with.
    tensor_rewrite weight;
    // Maps the layer's input before the multiplication, e.g. to simulate 8-bit activations.
    tensor_rewrite input;
};

class CompressibleConv2dImpl : public torch::nn::Conv2dImpl
{
public:
    using torch::nn::Conv2dImpl::Conv2dImpl;

    torch::Tensor forward(const torch::Tensor &input);

    layer_rewrites rewrites;
};
TORCH_MODULE(CompressibleConv2d);

class CompressibleLinearImpl : public torch::nn::LinearImpl
{
public:
    using torch::nn::LinearImpl::LinearImpl;

    torch::Tensor forward(const torch::Tensor &input);

    layer_rewrites rewrites;
};
TORCH_MODULE(CompressibleLinear);

// A convolution or linear layer of a model, seen by compression.
struct compressible_layer {
    // Dotted module path, e.g. "layer1.0.conv1".
    std::string name;
    torch::Tensor weight;
    layer_rewrites *rewrites = nullptr;
    // Output channels of a convolution or output features of a linear layer: the first weight dimension.
    std::int64_t output_channels = 0;
    bool depthwise = false;
};

// The model's convolutions and linear layers in registration order, which is the order of the forward
// pass for every zoo architecture: the first entry is the stem and the last the classifier.
std::vector<compressible_layer> compressible_layers(ClassifierImpl &model);

// Removes every rewrite, so that the model runs its stored weights again.
void clear_rewrites(ClassifierImpl &model);

} // namespace crimp
