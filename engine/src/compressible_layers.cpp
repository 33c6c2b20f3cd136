#include <crimp/engine/compressible_layers.hpp>

#include <torch/nn/functional/linear.h>

namespace crimp
{

torch::Tensor CompressibleConv2dImpl::forward(const torch::Tensor &input)
{
    const auto x = rewrites.input ? rewrites.input(input) : input;
    if (!rewrites.weight) {
        return torch::nn::Conv2dImpl::forward(x);
    }
    return _conv_forward(x, rewrites.weight(weight));
}

torch::Tensor CompressibleLinearImpl::forward(const torch::Tensor &input)
{
    const auto x = rewrites.input ? rewrites.input(input) : input;
    if (!rewrites.weight) {
        return torch::nn::LinearImpl::forward(x);
    }
    return torch::nn::functional::linear(x, rewrites.weight(weight), bias);
}

std::vector<compressible_layer> compressible_layers(ClassifierImpl &model)
{
    std::vector<compressible_layer> layers;
    for (const auto &item : model.named_modules("", /*include_self=*/false)) {
        auto &module = *item.value();
        if (auto *convolution = dynamic_cast<CompressibleConv2dImpl *>(&module)) {
            const auto &options = convolution->options;
            const bool depthwise = options.groups() > 1 && options.groups() == options.in_channels();
            layers.push_back({item.key(), convolution->weight, &convolution->rewrites, options.out_channels(),
                              depthwise});
        } else if (auto *linear = dynamic_cast<CompressibleLinearImpl *>(&module)) {
            layers.push_back({item.key(), linear->weight, &linear->rewrites, linear->options.out_features(), false});
        }
    }
    return layers;
}

void clear_rewrites(ClassifierImpl &model)
{
    for (auto &layer : compressible_layers(model)) {
        *layer.rewrites = {};
    }
}

} // namespace crimp
