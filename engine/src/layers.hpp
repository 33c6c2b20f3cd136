#pragma once

// Building blocks shared by the zoo's architectures. Every helper that creates a convolution or a
// linear layer also adds its multiply-accumulates for one 32×32 input image to a running total.

#include <crimp/engine/compressible_layers.hpp>

#include <torch/nn/modules/batchnorm.h>

#include <cstdint>

namespace crimp::layers
{

// Bias-free k×k convolution with padding k/2 (BN follows every convolution in the zoo). `side` is the
// input side; the return value's output side is written back to it.
CompressibleConv2d conv(std::int64_t in_channels, std::int64_t out_channels, std::int64_t kernel, std::int64_t stride,
                       std::int64_t &side, std::int64_t &macs, std::int64_t groups = 1);

torch::nn::BatchNorm2d batch_norm(std::int64_t channels);

CompressibleLinear linear(std::int64_t in_features, std::int64_t out_features, std::int64_t &macs);

// He initialisation for convolutions (fan-out, ReLU gain), unit scale and zero shift for batch norm.
void initialise(torch::nn::Module &module);

} // namespace crimp::layers
