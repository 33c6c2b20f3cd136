#include "layers.hpp"
#include "model_builders.hpp"

#include <crimp/engine/error.hpp>

#include <torch/nn/functional/activation.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/pooling.h>

#include <vector>

namespace crimp
{

namespace
{

constexpr int max_pool = 0;

// Channel counts of the convolutions, with max_pool marking a 2×2 max-pool (Simonyan and Zisserman, 2015, table 1).
std::vector<int> vgg_configuration(int depth)
{
    switch (depth) {
    case 11:
        return {64, max_pool, 128, max_pool, 256, 256, max_pool, 512, 512, max_pool, 512, 512, max_pool};
    case 16:
        return {64, 64, max_pool, 128, 128, max_pool, 256, 256, 256, max_pool, 512, 512, 512, max_pool, 512, 512, 512,
                max_pool};
    case 19:
        return {64,  64,  max_pool, 128, 128, max_pool, 256, 256, 256, 256, max_pool, 512, 512, 512, 512, max_pool,
                512, 512, 512, 512, max_pool};
    default:
        throw usage_error("invalid VGG depth " + std::to_string(depth) + ": expected 11, 16 or 19");
    }
}

class VGGImpl : public ClassifierImpl
{
public:
    VGGImpl(int depth, int classes) : ClassifierImpl("vgg" + std::to_string(depth))
    {
        std::int64_t side = 32;
        std::int64_t in_channels = 3;
        for (const int channels : vgg_configuration(depth)) {
            if (channels == max_pool) {
                features->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2)));
                side /= 2;
                continue;
            }
            features->push_back(layers::conv(in_channels, channels, 3, 1, side, m_macs));
            features->push_back(layers::batch_norm(channels));
            features->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
            in_channels = channels;
        }
        register_module("features", features);
        classifier = register_module("classifier", layers::linear(in_channels * side * side, classes, m_macs));
        layers::initialise(*this);
    }

    torch::Tensor forward(torch::Tensor images) override
    {
        return classifier(features->forward(images).flatten(1));
    }

    torch::nn::Sequential features;
    CompressibleLinear classifier{nullptr};
};

} // namespace

classifier_ptr make_vgg(int depth, int classes)
{
    return std::make_shared<VGGImpl>(depth, classes);
}

} // namespace crimp
