#include "layer_state.hpp"

#include <crimp/engine/rng.hpp>

#include <torch/utils.h>

namespace crimp::compression
{

namespace
{

// Whether pruning and clustering apply to the layer at `index` of `count`.
bool selected(const compressible_layer &layer, std::size_t index, std::size_t count, const compression_options &options)
{
    if (layer.depthwise && !options.compress_depthwise) {
        return false;
    }
    if (index == 0 && !options.compress_first_layer) {
        return false;
    }
    return index + 1 != count || options.compress_last_layer;
}

void cluster_layer(layer_state &state, int clusters, const compression_options &options, std::uint64_t seed)
{
    const auto flat = state.layer.weight.detach().flatten().to(torch::kFloat32).contiguous();
    const auto kept = state.mask.defined() ? flat.masked_select(state.mask.flatten()).contiguous() : flat;
    if (kept.numel() == 0) {
        return; // Every weight is pruned, so there is nothing to share.
    }
    const auto *data = kept.data_ptr<float>();
    const auto result = cluster_values(std::vector<float>(data, data + kept.numel()), clusters, options.init, seed);

    const auto count = static_cast<std::int64_t>(result.centroids.size());
    state.centroids = torch::tensor(result.centroids, torch::kFloat32);
    auto kept_assignments = torch::tensor(std::vector<std::int64_t>(result.assignments.begin(), result.assignments.end()),
                                          torch::kInt64);
    state.assignments = torch::zeros({flat.numel()}, torch::kInt64);
    if (state.mask.defined()) {
        state.assignments.masked_scatter_(state.mask.flatten(), kept_assignments);
    } else {
        state.assignments = kept_assignments;
    }
    state.counts = torch::bincount(kept_assignments, {}, count).to(torch::kFloat32).clamp_min(1.0);
}

} // namespace

std::vector<std::shared_ptr<layer_state>> plan_layers(ClassifierImpl &model, const genome &settings,
                                                      const compression_options &options)
{
    torch::NoGradGuard no_grad;
    const auto layers = compressible_layers(model);
    std::vector<std::shared_ptr<layer_state>> states;
    std::vector<torch::Tensor> prunable_weights;
    std::vector<std::size_t> prunable_positions;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        auto state = std::make_shared<layer_state>();
        state->layer = layers[i];
        state->bits = deployed_weight_bits(settings);
        if (selected(layers[i], i, layers.size(), options)) {
            prunable_weights.push_back(layers[i].weight);
            prunable_positions.push_back(i);
        }
        states.push_back(state);
    }

    if (settings.sparsity > 0.0) {
        const auto masks = magnitude_masks(prunable_weights, {settings.sparsity, options.scope, options.structured});
        for (std::size_t j = 0; j < masks.size(); ++j) {
            states[prunable_positions[j]]->mask = masks[j];
        }
    }
    if (settings.clusters > 0) {
        for (const auto position : prunable_positions) {
            cluster_layer(*states[position], settings.clusters, options, derive_seed(options.seed, position));
        }
    }
    return states;
}

void move_states(const std::vector<std::shared_ptr<layer_state>> &states, const torch::Device &device)
{
    for (const auto &state : states) {
        for (auto *tensor : {&state->mask, &state->centroids, &state->assignments, &state->counts}) {
            if (tensor->defined()) {
                *tensor = tensor->to(device);
            }
        }
    }
}

torch::Tensor training_weight(const layer_state &state, const torch::Tensor &weight)
{
    if (state.centroids.defined()) {
        // Same values as the centroids, but each one's gradient is the mean over its weights rather
        // than the sum, so that one learning rate suits layers and clusters of any size.
        const auto frozen = state.centroids.detach();
        auto table = frozen + (state.centroids - frozen) / state.counts;
        if (state.bits < 32) {
            table = fake_quantize_per_tensor(table, state.bits);
        }
        auto shared = table.index_select(0, state.assignments).reshape(weight.sizes());
        return state.mask.defined() ? shared * state.mask : shared;
    }
    auto result = state.mask.defined() ? weight * state.mask : weight;
    return state.bits < 32 ? fake_quantize_per_channel(result, state.bits) : result;
}

void install_training_rewrites(const std::vector<std::shared_ptr<layer_state>> &states)
{
    for (const auto &state : states) {
        state->layer.rewrites->weight = [state](const torch::Tensor &weight) { return training_weight(*state, weight); };
    }
}

void reapply_masks(const std::vector<std::shared_ptr<layer_state>> &states)
{
    torch::NoGradGuard no_grad;
    for (const auto &state : states) {
        if (state->mask.defined()) {
            state->layer.weight.mul_(state->mask);
        }
    }
}

encoded_layer encode_state(const layer_state &state)
{
    const auto &name = state.layer.name;
    if (state.centroids.defined()) {
        const auto kept = state.mask.defined() ? state.assignments.masked_select(state.mask.flatten())
                                               : state.assignments;
        return encode_codebook(name, state.layer.weight.sizes().vec(), state.mask, state.centroids, kept, state.bits);
    }
    if (state.bits < 32) {
        return encode_uniform(name, state.layer.weight, state.mask, state.bits);
    }
    return encode_float(name, state.layer.weight, state.mask);
}

} // namespace crimp::compression
