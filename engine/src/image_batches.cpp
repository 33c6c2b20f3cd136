#include <crimp/engine/image_batches.hpp>

#include <torch/nn/functional/padding.h>

namespace crimp
{

torch::Tensor images_to_tensor(const image_set &images)
{
    const auto count = static_cast<std::int64_t>(images.size());
    return torch::from_blob(const_cast<std::uint8_t *>(images.pixels.data()), {count, image_channels, image_side, image_side},
                            torch::kUInt8)
        .clone();
}

torch::Tensor labels_to_tensor(const image_set &images)
{
    return torch::from_blob(const_cast<std::int64_t *>(images.labels.data()), {static_cast<std::int64_t>(images.size())},
                            torch::kInt64)
        .clone();
}

torch::Tensor normalise(const torch::Tensor &images, const normalisation &statistics)
{
    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(images.device());
    // Fold the 1/255 scale into the affine map: (x / 255 − mean) / std = x · a + b.
    const auto scale = 1.0F / (255.0F * torch::tensor({statistics.std[0], statistics.std[1], statistics.std[2]}, options));
    const auto shift = -torch::tensor({statistics.mean[0], statistics.mean[1], statistics.mean[2]}, options)
                       / torch::tensor({statistics.std[0], statistics.std[1], statistics.std[2]}, options);
    return images.to(torch::kFloat32).mul_(scale.view({1, 3, 1, 1})).add_(shift.view({1, 3, 1, 1}));
}

torch::Tensor augment(const torch::Tensor &images, splitmix64 &generator)
{
    constexpr std::int64_t padding = 4;
    namespace F = torch::nn::functional;
    const auto padded = F::pad(images, F::PadFuncOptions({padding, padding, padding, padding}));
    auto output = torch::empty_like(images);

    for (std::int64_t i = 0; i < images.size(0); ++i) {
        const auto top = static_cast<std::int64_t>(generator.below(2 * padding + 1));
        const auto left = static_cast<std::int64_t>(generator.below(2 * padding + 1));
        const bool flip = generator.below(2) == 1;
        auto crop = padded[i].slice(1, top, top + image_side).slice(2, left, left + image_side);
        output[i].copy_(flip ? crop.flip({2}) : crop);
    }
    return output;
}

} // namespace crimp
