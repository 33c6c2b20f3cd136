#include "layers.hpp"
#include "model_builders.hpp"

#include <crimp/engine/error.hpp>

#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/padding.h>
#include <torch/nn/functional/pooling.h>
#include <torch/nn/modules/container/sequential.h>

namespace crimp
{

namespace
{

namespace F = torch::nn::functional;

// Two 3×3 convolutions with a shortcut: option A (subsample and zero-pad) in CIFAR ResNets,
// a 1×1 projection with batch norm otherwise.
class BasicBlockImpl : public torch::nn::Module
{
public:
    BasicBlockImpl(std::int64_t in_planes, std::int64_t planes, std::int64_t stride, bool padding_shortcut,
                   std::int64_t &side, std::int64_t &macs)
    {
        const std::int64_t input_side = side;
        conv1 = register_module("conv1", layers::conv(in_planes, planes, 3, stride, side, macs));
        bn1 = register_module("bn1", layers::batch_norm(planes));
        conv2 = register_module("conv2", layers::conv(planes, planes, 3, 1, side, macs));
        bn2 = register_module("bn2", layers::batch_norm(planes));

        if (stride != 1 || in_planes != planes) {
            if (padding_shortcut) {
                m_padded_channels = (planes - in_planes) / 2;
                m_subsample = stride;
            } else {
                std::int64_t shortcut_side = input_side;
                shortcut = register_module(
                    "shortcut", torch::nn::Sequential(layers::conv(in_planes, planes, 1, stride, shortcut_side, macs),
                                                      layers::batch_norm(planes)));
            }
        }
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        auto out = torch::relu(bn1(conv1(x)));
        out = bn2(conv2(out));
        return torch::relu(out + shortcut_of(x));
    }

    CompressibleConv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
    torch::nn::Sequential shortcut{nullptr};

private:
    torch::Tensor shortcut_of(const torch::Tensor &x)
    {
        if (!shortcut.is_empty()) {
            return shortcut->forward(x);
        }
        if (m_padded_channels == 0 && m_subsample == 1) {
            return x;
        }
        const auto subsampled = x.slice(2, 0, c10::nullopt, m_subsample).slice(3, 0, c10::nullopt, m_subsample);
        return F::pad(subsampled, F::PadFuncOptions({0, 0, 0, 0, m_padded_channels, m_padded_channels}));
    }

    std::int64_t m_padded_channels = 0;
    std::int64_t m_subsample = 1;
};
TORCH_MODULE(BasicBlock);

// 1×1 reduce, 3×3 (carrying the stride), 1×1 expand by 4, with a projection shortcut where shapes change.
class BottleneckImpl : public torch::nn::Module
{
public:
    static constexpr std::int64_t expansion = 4;

    BottleneckImpl(std::int64_t in_planes, std::int64_t planes, std::int64_t stride, std::int64_t &side,
                   std::int64_t &macs)
    {
        const std::int64_t input_side = side;
        conv1 = register_module("conv1", layers::conv(in_planes, planes, 1, 1, side, macs));
        bn1 = register_module("bn1", layers::batch_norm(planes));
        conv2 = register_module("conv2", layers::conv(planes, planes, 3, stride, side, macs));
        bn2 = register_module("bn2", layers::batch_norm(planes));
        conv3 = register_module("conv3", layers::conv(planes, planes * expansion, 1, 1, side, macs));
        bn3 = register_module("bn3", layers::batch_norm(planes * expansion));

        if (stride != 1 || in_planes != planes * expansion) {
            std::int64_t shortcut_side = input_side;
            shortcut = register_module(
                "shortcut",
                torch::nn::Sequential(layers::conv(in_planes, planes * expansion, 1, stride, shortcut_side, macs),
                                      layers::batch_norm(planes * expansion)));
        }
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        auto out = torch::relu(bn1(conv1(x)));
        out = torch::relu(bn2(conv2(out)));
        out = bn3(conv3(out));
        return torch::relu(out + (shortcut.is_empty() ? x : shortcut->forward(x)));
    }

    CompressibleConv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Sequential shortcut{nullptr};
};
TORCH_MODULE(Bottleneck);

// Stem convolution, residual stages, global average pooling and a linear classifier.
class ResNetImpl : public ClassifierImpl
{
public:
    ResNetImpl(const std::string &name, std::int64_t stem_channels) : ClassifierImpl(name), m_side(32)
    {
        conv1 = register_module("conv1", layers::conv(3, stem_channels, 3, 1, m_side, m_macs));
        bn1 = register_module("bn1", layers::batch_norm(stem_channels));
    }

    void add_stage(torch::nn::Sequential stage) { m_stages.push_back(register_module(
        "layer" + std::to_string(m_stages.size() + 1), std::move(stage))); }

    void finish(std::int64_t features, int classes)
    {
        fc = register_module("fc", layers::linear(features, classes, m_macs));
        layers::initialise(*this);
    }

    torch::Tensor forward(torch::Tensor images) override
    {
        auto out = torch::relu(bn1(conv1(images)));
        for (auto &stage : m_stages) {
            out = stage->forward(out);
        }
        out = F::adaptive_avg_pool2d(out, F::AdaptiveAvgPool2dFuncOptions(1)).flatten(1);
        return fc(out);
    }

    std::int64_t &side() { return m_side; }
    std::int64_t &macs() { return m_macs; }

    CompressibleConv2d conv1{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr};
    CompressibleLinear fc{nullptr};

private:
    std::vector<torch::nn::Sequential> m_stages;
    std::int64_t m_side;
};

} // namespace

classifier_ptr make_cifar_resnet(int depth, int classes)
{
    if (depth < 8 || (depth - 2) % 6 != 0) {
        throw usage_error("invalid CIFAR ResNet depth " + std::to_string(depth) + ": expected 6n+2, e.g. 20 or 56");
    }
    const int blocks_per_stage = (depth - 2) / 6;
    auto model = std::make_shared<ResNetImpl>("resnet" + std::to_string(depth), 16);

    std::int64_t in_planes = 16;
    for (const std::int64_t planes : {16, 32, 64}) {
        torch::nn::Sequential stage;
        for (int block = 0; block < blocks_per_stage; ++block) {
            const std::int64_t stride = (block == 0 && planes != 16) ? 2 : 1;
            stage->push_back(BasicBlock(in_planes, planes, stride, /*padding_shortcut=*/true, model->side(),
                                        model->macs()));
            in_planes = planes;
        }
        model->add_stage(stage);
    }
    model->finish(64, classes);
    return model;
}

classifier_ptr make_resnet(int depth, int classes)
{
    if (depth != 18 && depth != 50) {
        throw usage_error("invalid ResNet depth " + std::to_string(depth) + ": expected 18 or 50");
    }
    const bool bottleneck = depth == 50;
    const std::vector<int> blocks = bottleneck ? std::vector<int>{3, 4, 6, 3} : std::vector<int>{2, 2, 2, 2};
    auto model = std::make_shared<ResNetImpl>("resnet" + std::to_string(depth), 64);

    std::int64_t in_planes = 64;
    std::int64_t planes = 64;
    for (std::size_t stage_index = 0; stage_index < blocks.size(); ++stage_index, planes *= 2) {
        torch::nn::Sequential stage;
        for (int block = 0; block < blocks[stage_index]; ++block) {
            const std::int64_t stride = (block == 0 && stage_index > 0) ? 2 : 1;
            if (bottleneck) {
                stage->push_back(Bottleneck(in_planes, planes, stride, model->side(), model->macs()));
                in_planes = planes * BottleneckImpl::expansion;
            } else {
                stage->push_back(BasicBlock(in_planes, planes, stride, /*padding_shortcut=*/false, model->side(),
                                            model->macs()));
                in_planes = planes;
            }
        }
        model->add_stage(stage);
    }
    model->finish(in_planes, classes);
    return model;
}

} // namespace crimp
