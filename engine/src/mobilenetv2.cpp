#include "layers.hpp"
#include "model_builders.hpp"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/modules/container/sequential.h>

namespace crimp
{

namespace
{

namespace F = torch::nn::functional;

// Inverted residual: 1×1 expansion, 3×3 depthwise convolution carrying the stride, linear 1×1
// projection. Stride-1 blocks add a shortcut, projected by a 1×1 convolution where channels change.
class InvertedResidualImpl : public torch::nn::Module
{
public:
    InvertedResidualImpl(std::int64_t in_planes, std::int64_t out_planes, std::int64_t expansion, std::int64_t stride,
                         std::int64_t &side, std::int64_t &macs)
        : m_stride(stride)
    {
        const std::int64_t input_side = side;
        const std::int64_t planes = expansion * in_planes;
        conv1 = register_module("conv1", layers::conv(in_planes, planes, 1, 1, side, macs));
        bn1 = register_module("bn1", layers::batch_norm(planes));
        conv2 = register_module("conv2", layers::conv(planes, planes, 3, stride, side, macs, /*groups=*/planes));
        bn2 = register_module("bn2", layers::batch_norm(planes));
        conv3 = register_module("conv3", layers::conv(planes, out_planes, 1, 1, side, macs));
        bn3 = register_module("bn3", layers::batch_norm(out_planes));

        if (stride == 1 && in_planes != out_planes) {
            std::int64_t shortcut_side = input_side;
            shortcut = register_module("shortcut",
                                       torch::nn::Sequential(layers::conv(in_planes, out_planes, 1, 1, shortcut_side, macs),
                                                             layers::batch_norm(out_planes)));
        }
    }

    torch::Tensor forward(const torch::Tensor &x)
    {
        auto out = torch::relu(bn1(conv1(x)));
        out = torch::relu(bn2(conv2(out)));
        out = bn3(conv3(out));
        if (m_stride != 1) {
            return out;
        }
        return out + (shortcut.is_empty() ? x : shortcut->forward(x));
    }

    CompressibleConv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Sequential shortcut{nullptr};

private:
    std::int64_t m_stride;
};
TORCH_MODULE(InvertedResidual);

struct stage_configuration {
    std::int64_t expansion;
    std::int64_t out_planes;
    int blocks;
    std::int64_t stride;
};

class MobileNetV2Impl : public ClassifierImpl
{
public:
    explicit MobileNetV2Impl(int classes) : ClassifierImpl("mobilenetv2")
    {
        // Table 2 of Sandler et al. (2018), with stride 1 in the 24-channel stage for 32×32 inputs.
        const stage_configuration stages[] = {{1, 16, 1, 1},  {6, 24, 2, 1},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                              {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
        std::int64_t side = 32;
        conv1 = register_module("conv1", layers::conv(3, 32, 3, 1, side, m_macs));
        bn1 = register_module("bn1", layers::batch_norm(32));

        std::int64_t in_planes = 32;
        for (const auto &stage : stages) {
            for (int block = 0; block < stage.blocks; ++block) {
                const std::int64_t stride = block == 0 ? stage.stride : 1;
                blocks->push_back(InvertedResidual(in_planes, stage.out_planes, stage.expansion, stride, side, m_macs));
                in_planes = stage.out_planes;
            }
        }
        register_module("blocks", blocks);

        conv2 = register_module("conv2", layers::conv(320, 1280, 1, 1, side, m_macs));
        bn2 = register_module("bn2", layers::batch_norm(1280));
        fc = register_module("fc", layers::linear(1280, classes, m_macs));
        layers::initialise(*this);
    }

    torch::Tensor forward(torch::Tensor images) override
    {
        auto out = torch::relu(bn1(conv1(images)));
        out = blocks->forward(out);
        out = torch::relu(bn2(conv2(out)));
        out = F::adaptive_avg_pool2d(out, F::AdaptiveAvgPool2dFuncOptions(1)).flatten(1);
        return fc(out);
    }

    CompressibleConv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
    torch::nn::Sequential blocks;
    CompressibleLinear fc{nullptr};
};

} // namespace

classifier_ptr make_mobilenetv2(int classes)
{
    return std::make_shared<MobileNetV2Impl>(classes);
}

} // namespace crimp
