#include <crimp/compression/quantization.hpp>

#include <torch/utils.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace crimp::compression
{

namespace
{

// Shape that broadcasts one value per output channel against a weight of `dimensions` dimensions.
std::vector<std::int64_t> channel_shape(std::int64_t channels, std::int64_t dimensions)
{
    std::vector<std::int64_t> shape(static_cast<std::size_t>(std::max<std::int64_t>(dimensions, 1)), 1);
    shape[0] = channels;
    return shape;
}

torch::Tensor broadcastable(const torch::Tensor &scales, const torch::Tensor &like)
{
    if (scales.numel() == 1) {
        return scales.reshape({});
    }
    return scales.reshape(channel_shape(scales.numel(), like.dim()));
}

} // namespace

std::int64_t largest_code(int bits)
{
    return (std::int64_t{1} << (bits - 1)) - 1;
}

torch::Tensor channel_scales(const torch::Tensor &weight, int bits)
{
    torch::NoGradGuard no_grad;
    const auto magnitude = weight.detach().abs().reshape({weight.size(0), -1}).amax(1).to(torch::kFloat32);
    auto scales = magnitude / static_cast<float>(largest_code(bits));
    const auto usable = scales.ge(FLT_MIN).logical_and(scales.isfinite());
    return torch::where(usable, scales, torch::ones_like(scales));
}

float tensor_scale(const torch::Tensor &values, int bits)
{
    const float magnitude = values.numel() == 0 ? 0.0F : values.detach().abs().max().item<float>();
    const float scale = magnitude / static_cast<float>(largest_code(bits));
    return scale >= FLT_MIN && std::isfinite(scale) ? scale : 1.0F;
}

torch::Tensor quantize(const torch::Tensor &weight, const torch::Tensor &scales, int bits)
{
    const auto limit = static_cast<double>(largest_code(bits));
    return (weight.detach().to(torch::kFloat32) / broadcastable(scales, weight)).round().clamp(-limit, limit).to(torch::kInt64);
}

torch::Tensor dequantize(const torch::Tensor &codes, const torch::Tensor &scales)
{
    return codes.to(torch::kFloat32) * broadcastable(scales, codes);
}

torch::Tensor fake_quantize_per_channel(const torch::Tensor &weight, int bits)
{
    const auto scales = channel_scales(weight, bits);
    const auto grid = dequantize(quantize(weight, scales, bits), scales);
    return weight + (grid - weight).detach();
}

torch::Tensor fake_quantize_per_tensor(const torch::Tensor &values, int bits)
{
    const auto scale = torch::full({1}, tensor_scale(values, bits), torch::kFloat32);
    const auto grid = dequantize(quantize(values, scale, bits), scale);
    return values + (grid - values).detach();
}

activation_quantizer make_activation_quantizer(float low, float high)
{
    low = std::min(low, 0.0F);
    high = std::max(high, 0.0F);
    activation_quantizer quantizer;
    quantizer.scale = (high - low) / 255.0F;
    if (!(quantizer.scale >= FLT_MIN) || !std::isfinite(quantizer.scale)) {
        quantizer.scale = 1.0F;
    }
    const float zero_point = std::nearbyint(-low / quantizer.scale);
    quantizer.zero_point = static_cast<std::int32_t>(std::clamp(zero_point, 0.0F, 255.0F));
    return quantizer;
}

torch::Tensor quantize_activation(const torch::Tensor &input, const activation_quantizer &quantizer)
{
    const auto zero_point = static_cast<double>(quantizer.zero_point);
    const auto codes = (input / quantizer.scale).round().add(zero_point).clamp(0.0, 255.0);
    return (codes - zero_point) * quantizer.scale;
}

} // namespace crimp::compression
