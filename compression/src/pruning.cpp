#include <crimp/compression/pruning.hpp>

#include <torch/types.h>
#include <torch/utils.h>

#include <cmath>

namespace crimp::compression
{

namespace
{

std::int64_t rounded_count(double fraction, std::int64_t total)
{
    return static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(total)));
}

// A keep-flag per score, false for the `count` smallest scores; a stable sort breaks ties by position.
torch::Tensor keep_flags(const torch::Tensor &scores, std::int64_t count)
{
    auto keep = torch::ones({scores.numel()}, torch::kBool);
    if (count > 0) {
        const auto order = std::get<1>(torch::sort(scores.flatten(), /*stable=*/true, /*dim=*/0, /*descending=*/false));
        keep.index_fill_(0, order.slice(0, 0, count), false);
    }
    return keep;
}

// Magnitude of each weight (unstructured) or of each output filter (structured), flattened.
torch::Tensor scores_of(const torch::Tensor &weight, const pruning_options &options)
{
    const auto magnitude = weight.detach().abs().to(torch::kFloat64);
    if (!options.structured) {
        return magnitude.flatten();
    }
    const auto per_filter = magnitude.reshape({weight.size(0), -1});
    return options.scope == pruning_scope::global ? per_filter.mean(1) : per_filter.sum(1);
}

// Expands per-score keep-flags back to a mask of the weight's shape.
torch::Tensor mask_of(const torch::Tensor &flags, const torch::Tensor &weight, bool structured)
{
    if (!structured) {
        return flags.reshape(weight.sizes());
    }
    std::vector<std::int64_t> shape(static_cast<std::size_t>(weight.dim()), 1);
    shape[0] = weight.size(0);
    return flags.reshape(shape).expand(weight.sizes()).contiguous();
}

} // namespace

std::vector<torch::Tensor> magnitude_masks(const std::vector<torch::Tensor> &weights, const pruning_options &options)
{
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> scores;
    for (const auto &weight : weights) {
        scores.push_back(scores_of(weight, options));
    }

    std::vector<torch::Tensor> masks;
    if (options.scope == pruning_scope::layer) {
        for (std::size_t i = 0; i < weights.size(); ++i) {
            const auto flags = keep_flags(scores[i], rounded_count(options.sparsity, scores[i].numel()));
            masks.push_back(mask_of(flags, weights[i], options.structured));
        }
        return masks;
    }

    if (weights.empty()) {
        return masks;
    }
    const auto all_scores = torch::cat(scores);
    const auto all_flags = keep_flags(all_scores, rounded_count(options.sparsity, all_scores.numel()));
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const auto flags = all_flags.slice(0, offset, offset + scores[i].numel());
        offset += scores[i].numel();
        masks.push_back(mask_of(flags, weights[i], options.structured));
    }
    return masks;
}

} // namespace crimp::compression
