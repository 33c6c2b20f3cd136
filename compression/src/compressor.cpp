#include <crimp/compression/compressor.hpp>

#include "activation_calibration.hpp"
#include "layer_state.hpp"

#include <crimp/engine/error.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/utils.h>

#include <chrono>
#include <set>

namespace crimp::compression
{

namespace
{

void validate(const compression_options &options)
{
    if (options.calibration_images < 1) {
        throw usage_error(fmt::format("invalid calibration images {}: expected 1 or more", options.calibration_images));
    }
    if (!(options.percentile > 50.0 && options.percentile <= 100.0)) {
        throw usage_error(fmt::format("invalid percentile {}: expected a value in (50, 100]", options.percentile));
    }
    if (!(options.learning_rate > 0.0)) {
        throw usage_error(fmt::format("invalid learning rate {}: expected a positive value", options.learning_rate));
    }
    if (options.batch_size < 2) {
        throw usage_error(fmt::format("invalid batch size {}: expected 2 or more", options.batch_size));
    }
    if (options.patience < 0) {
        throw usage_error(fmt::format("invalid patience {}: expected 0 (off) or more", options.patience));
    }
}

void require_training_images(const fit_data &data, const char *purpose)
{
    if (!data.train_images.defined() || data.train_images.size(0) < 2) {
        throw usage_error(std::string("compression needs training images for ") + purpose
                          + ": pass --data-dir with the dataset the baseline was trained on");
    }
}

// The optimizer's tensors: every parameter except the stored weights of clustered layers, whose values
// come from their centroids, plus the centroids themselves.
fit_hooks finetuning_hooks(ClassifierImpl &model, const std::vector<std::shared_ptr<layer_state>> &states)
{
    fit_hooks hooks;
    std::set<const void *> replaced;
    for (const auto &state : states) {
        if (state->centroids.defined()) {
            replaced.insert(state->layer.weight.unsafeGetTensorImpl());
            state->centroids.set_requires_grad(true);
            hooks.trainable.push_back(state->centroids);
            hooks.extra_state.push_back(state->centroids);
        }
    }
    for (const auto &parameter : model.parameters()) {
        if (replaced.count(parameter.unsafeGetTensorImpl()) == 0) {
            hooks.trainable.push_back(parameter);
        }
    }
    hooks.after_step = [states] { reapply_masks(states); };
    return hooks;
}

training_record finetune(ClassifierImpl &model, const std::vector<std::shared_ptr<layer_state>> &states,
                         const genome &settings, const compression_options &options, const fit_data &data,
                         const torch::Device &device)
{
    training_record record{"sgd",
                           options.learning_rate,
                           options.momentum,
                           options.weight_decay,
                           options.batch_size,
                           settings.finetune_epochs,
                           options.patience,
                           options.seed,
                           0,
                           0.0,
                           {}};
    install_training_rewrites(states);
    auto hooks = finetuning_hooks(model, states);
    hooks.log_epochs = options.log_epochs;
    fit_classifier(model, data, record, device, hooks, options.progress_bar);

    clear_rewrites(model);
    for (const auto &state : states) {
        if (state->centroids.defined()) {
            state->centroids = state->centroids.detach();
        }
    }
    return record;
}

// Evenly spaced training images for calibration.
torch::Tensor calibration_images(const fit_data &data, std::int64_t count)
{
    const std::int64_t available = data.train_images.size(0);
    const std::int64_t taken = std::min(count, available);
    const auto positions = torch::linspace(0, static_cast<double>(available - 1), taken, torch::kFloat64)
                               .round()
                               .to(torch::kInt64);
    return data.train_images.index_select(0, positions);
}

} // namespace

calibration_method parse_calibration_method(const std::string &name)
{
    if (name == "minmax") {
        return calibration_method::minmax;
    }
    if (name == "percentile") {
        return calibration_method::percentile;
    }
    throw usage_error("invalid calibration method '" + name + "': expected minmax or percentile");
}

compression_result compress_model(const trained_model &baseline, const genome &settings,
                                  const compression_options &options, const fit_data &data,
                                  const torch::Device &device)
{
    validate(settings);
    validate(options);
    const bool finetuning = settings.route == route_kind::finetune && settings.finetune_epochs > 0;
    if (finetuning) {
        require_training_images(data, "fine-tuning");
    }
    if (settings.full_integer) {
        require_training_images(data, "calibrating activations");
    }
    const auto start = std::chrono::steady_clock::now();

    compression_result result;
    auto &compressed = result.compressed;
    // Pruning, clustering, encoding and calibration run on the CPU; only fine-tuning uses the device.
    compressed = {copy_model(*baseline.model, baseline.metadata), baseline.metadata, settings, {}};
    compressed.model->to(torch::kCPU);

    const auto states = plan_layers(*compressed.model, settings, options);
    reapply_masks(states);
    if (finetuning) {
        compressed.model->to(device);
        move_states(states, device);
        result.finetuning = finetune(*compressed.model, states, settings, options, data, device);
        compressed.model->to(torch::kCPU);
        move_states(states, torch::kCPU);
    }

    for (const auto &state : states) {
        compressed.layers.push_back(encode_state(*state));
    }
    apply_encoding(compressed);
    if (settings.full_integer) {
        calibrate_activations(compressed, calibration_images(data, options.calibration_images), options, torch::kCPU);
        apply_encoding(compressed);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace crimp::compression
