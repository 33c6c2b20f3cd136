#include "layers.hpp"

#include <torch/nn/init.h>

namespace crimp::layers
{

CompressibleConv2d conv(std::int64_t in_channels, std::int64_t out_channels, std::int64_t kernel, std::int64_t stride,
                       std::int64_t &side, std::int64_t &macs, std::int64_t groups)
{
    const std::int64_t padding = kernel / 2;
    side = (side + 2 * padding - kernel) / stride + 1;
    macs += side * side * kernel * kernel * (in_channels / groups) * out_channels;
    return CompressibleConv2d(torch::nn::Conv2dOptions(in_channels, out_channels, kernel)
                                 .stride(stride)
                                 .padding(padding)
                                 .groups(groups)
                                 .bias(false));
}

torch::nn::BatchNorm2d batch_norm(std::int64_t channels)
{
    return torch::nn::BatchNorm2d(channels);
}

CompressibleLinear linear(std::int64_t in_features, std::int64_t out_features, std::int64_t &macs)
{
    macs += in_features * out_features;
    return CompressibleLinear(in_features, out_features);
}

void initialise(torch::nn::Module &module)
{
    torch::NoGradGuard no_grad;
    for (auto &child : module.modules(/*include_self=*/false)) {
        if (auto *convolution = child->as<torch::nn::Conv2dImpl>()) {
            torch::nn::init::kaiming_normal_(convolution->weight, 0.0, torch::kFanOut, torch::kReLU);
        } else if (auto *norm = child->as<torch::nn::BatchNorm2d>()) {
            torch::nn::init::ones_(norm->weight);
            torch::nn::init::zeros_(norm->bias);
        }
    }
}

} // namespace crimp::layers
