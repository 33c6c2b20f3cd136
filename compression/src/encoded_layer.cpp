#include <crimp/compression/encoded_layer.hpp>

#include <torch/utils.h>

namespace crimp::compression
{

namespace
{

torch::Tensor kept_entries(const torch::Tensor &flat, const torch::Tensor &mask)
{
    return mask.defined() ? flat.masked_select(mask) : flat;
}

// Spreads per-kept-weight entries back to a dense flat tensor, zeros where pruned.
torch::Tensor scatter_kept(const torch::Tensor &kept, const torch::Tensor &mask)
{
    if (!mask.defined()) {
        return kept.clone();
    }
    return torch::zeros({mask.numel()}, kept.options()).masked_scatter_(mask, kept);
}

encoded_layer base_layer(const std::string &name, const torch::Tensor &weight, const torch::Tensor &mask)
{
    encoded_layer layer;
    layer.name = name;
    layer.shape = weight.sizes().vec();
    if (mask.defined()) {
        layer.mask = mask.detach().flatten().to(torch::kBool).contiguous();
    }
    return layer;
}

// Per-output-channel scales broadcast to each kept weight.
torch::Tensor kept_scales(const encoded_layer &layer)
{
    const auto per_weight = layer.scales.reshape({-1, 1}).expand({layer.shape[0], layer.weight_count() / layer.shape[0]});
    return kept_entries(per_weight.flatten(), layer.mask);
}

} // namespace

std::int64_t encoded_layer::weight_count() const
{
    std::int64_t count = 1;
    for (const auto size : shape) {
        count *= size;
    }
    return count;
}

std::int64_t encoded_layer::kept_count() const
{
    return mask.defined() ? mask.sum().item<std::int64_t>() : weight_count();
}

torch::Tensor decode_weight(const encoded_layer &layer)
{
    torch::NoGradGuard no_grad;
    torch::Tensor kept;
    switch (layer.encoding) {
    case weight_encoding::float32:
        kept = layer.values;
        break;
    case weight_encoding::codebook:
        kept = layer.centroids.index_select(0, layer.codes);
        break;
    case weight_encoding::uniform:
        kept = dequantize(layer.codes, kept_scales(layer));
        break;
    }
    return scatter_kept(kept.to(torch::kFloat32), layer.mask).reshape(layer.shape);
}

encoded_layer encode_float(const std::string &name, const torch::Tensor &weight, const torch::Tensor &mask)
{
    torch::NoGradGuard no_grad;
    auto layer = base_layer(name, weight, mask);
    layer.values = kept_entries(weight.detach().flatten().to(torch::kFloat32), layer.mask).contiguous();
    return layer;
}

encoded_layer encode_uniform(const std::string &name, const torch::Tensor &weight, const torch::Tensor &mask, int bits)
{
    torch::NoGradGuard no_grad;
    auto layer = base_layer(name, weight, mask);
    const auto dense = layer.mask.defined() ? weight.detach() * layer.mask.reshape(weight.sizes()) : weight.detach();
    layer.encoding = weight_encoding::uniform;
    layer.bits = bits;
    layer.scales = channel_scales(dense, bits).contiguous();
    layer.codes = kept_entries(quantize(dense, layer.scales, bits).flatten(), layer.mask).contiguous();
    return layer;
}

encoded_layer encode_codebook(const std::string &name, const std::vector<std::int64_t> &shape, const torch::Tensor &mask,
                              const torch::Tensor &centroids, const torch::Tensor &assignments, int bits)
{
    torch::NoGradGuard no_grad;
    auto layer = base_layer(name, torch::empty(shape), mask);
    layer.encoding = weight_encoding::codebook;
    layer.bits = bits;

    auto table = centroids.detach().to(torch::kFloat32).flatten();
    if (bits < 32) {
        layer.scales = torch::full({1}, tensor_scale(table, bits), torch::kFloat32);
        table = dequantize(quantize(table, layer.scales, bits), layer.scales);
    }
    // Keep only the values that some weight uses, in increasing order and without repeats.
    const auto used = table.index_select(0, assignments.to(torch::kInt64));
    auto [distinct, inverse, counts] = torch::_unique2(used, /*sorted=*/true, /*return_inverse=*/true);
    layer.centroids = distinct.contiguous();
    layer.codes = inverse.to(torch::kInt64).contiguous();
    return layer;
}

torch::Tensor deployed_integer_weights(const encoded_layer &layer)
{
    torch::NoGradGuard no_grad;
    if (layer.encoding == weight_encoding::uniform) {
        return scatter_kept(layer.codes, layer.mask).to(torch::kInt8);
    }
    if (layer.encoding == weight_encoding::codebook && layer.bits < 32) {
        const auto codes = quantize(layer.centroids.index_select(0, layer.codes), layer.scales, layer.bits);
        return scatter_kept(codes, layer.mask).to(torch::kInt8);
    }
    return {};
}

} // namespace crimp::compression
