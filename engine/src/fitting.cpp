#include <crimp/engine/fitting.hpp>

#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/rng.hpp>

#include <spdlog/spdlog.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include <chrono>
#include <cmath>
#include <numeric>

namespace crimp
{

namespace
{

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start)
{
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<torch::Tensor> &parameters,
                                                        const training_record &record)
{
    if (record.optimizer == "adam") {
        return std::make_unique<torch::optim::Adam>(
            parameters, torch::optim::AdamOptions(record.learning_rate).weight_decay(record.weight_decay));
    }
    return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(record.learning_rate)
                                                               .momentum(record.momentum)
                                                               .nesterov(record.momentum > 0.0)
                                                               .weight_decay(record.weight_decay));
}

// Every parameter and buffer of the model followed by the extra state tensors.
std::vector<torch::Tensor> state_tensors(ClassifierImpl &model, const std::vector<torch::Tensor> &extra_state)
{
    auto tensors = model.parameters();
    for (const auto &buffer : model.buffers()) {
        tensors.push_back(buffer);
    }
    tensors.insert(tensors.end(), extra_state.begin(), extra_state.end());
    return tensors;
}

std::vector<torch::Tensor> snapshot(const std::vector<torch::Tensor> &state)
{
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> copies;
    copies.reserve(state.size());
    for (const auto &tensor : state) {
        copies.push_back(tensor.detach().clone());
    }
    return copies;
}

void restore(const std::vector<torch::Tensor> &state, const std::vector<torch::Tensor> &copies)
{
    torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < state.size(); ++i) {
        state[i].copy_(copies[i]);
    }
}

struct epoch_totals {
    double loss_sum = 0.0;
    std::int64_t correct = 0;
    std::int64_t images = 0;
};

} // namespace

double fit_classifier(ClassifierImpl &model, const fit_data &data, training_record &record, const torch::Device &device,
                      const fit_hooks &hooks, bool show_progress)
{
    const auto trainable = hooks.trainable.empty() ? model.parameters() : hooks.trainable;
    auto optimizer = make_optimizer(trainable, record);
    const auto state = state_tensors(model, hooks.extra_state);
    const bool validating = data.validation_images.defined() && data.validation_images.size(0) > 0;

    const std::int64_t train_count = data.train_images.size(0);
    const std::int64_t batches_per_epoch = (train_count + record.batch_size - 1) / record.batch_size;
    const std::int64_t total_steps = batches_per_epoch * record.epochs;
    const auto run_start = clock_type::now();
    double best_accuracy = -1.0;
    std::vector<torch::Tensor> best_state = snapshot(state);
    record.best_epoch = 0;
    record.history.clear();
    progress_bar bar(static_cast<std::size_t>(total_steps), show_progress);

    for (int epoch = 1; epoch <= record.epochs; ++epoch) {
        const auto epoch_start = clock_type::now();
        model.train();
        splitmix64 generator(derive_seed(record.seed, static_cast<std::uint64_t>(epoch)));
        std::vector<std::int64_t> order(static_cast<std::size_t>(train_count));
        std::iota(order.begin(), order.end(), std::int64_t{0});
        shuffle(order, generator);
        const auto order_tensor = torch::from_blob(order.data(), {train_count}, torch::kInt64);

        epoch_totals totals;
        double learning_rate = record.learning_rate;
        for (std::int64_t batch = 0; batch < batches_per_epoch; ++batch) {
            const auto indices = order_tensor.slice(0, batch * record.batch_size, (batch + 1) * record.batch_size);
            if (indices.size(0) < 2) {
                continue; // Batch norm cannot normalise a single image in training mode.
            }
            const std::int64_t step = (epoch - 1) * batches_per_epoch + batch;
            learning_rate = 0.5 * record.learning_rate
                            * (1.0 + std::cos(M_PI * static_cast<double>(step) / static_cast<double>(total_steps)));
            for (auto &group : optimizer->param_groups()) {
                group.options().set_lr(learning_rate);
            }

            const auto inputs = normalise(augment(data.train_images.index_select(0, indices), generator).to(device),
                                          data.statistics);
            const auto targets = data.train_labels.index_select(0, indices).to(device);
            optimizer->zero_grad();
            const auto logits = model.forward(inputs);
            const auto loss = torch::nn::functional::cross_entropy(logits, targets);
            loss.backward();
            optimizer->step();
            if (hooks.after_step) {
                hooks.after_step();
            }

            const double batch_loss = loss.item<double>();
            if (!std::isfinite(batch_loss)) {
                throw training_diverged("training diverged at epoch " + std::to_string(epoch) + ", batch "
                                        + std::to_string(batch + 1) + ": the loss is " + std::to_string(batch_loss)
                                        + "; lower the learning rate");
            }
            totals.loss_sum += batch_loss * static_cast<double>(indices.size(0));
            totals.correct += logits.argmax(1).eq(targets).sum().item<std::int64_t>();
            totals.images += indices.size(0);

            const double elapsed = seconds_since(run_start);
            const double done = static_cast<double>(step + 1) / static_cast<double>(total_steps);
            bar.update(static_cast<std::size_t>(step + 1),
                       fmt::format("epoch {}/{} loss {:.3f} val {} {:.0f} img/s ETA {}", epoch, record.epochs,
                                   totals.loss_sum / static_cast<double>(totals.images),
                                   record.history.empty()
                                       ? std::string("-")
                                       : fmt::format("{:.2f}%", 100.0 * record.history.back().validation_accuracy),
                                   static_cast<double>(totals.images) / seconds_since(epoch_start),
                                   format_duration(elapsed / done - elapsed)));
        }

        epoch_record result;
        result.epoch = epoch;
        result.learning_rate = learning_rate;
        result.train_loss = totals.loss_sum / static_cast<double>(std::max<std::int64_t>(1, totals.images));
        result.train_accuracy = static_cast<double>(totals.correct) / static_cast<double>(std::max<std::int64_t>(1, totals.images));
        result.images_per_second = static_cast<double>(totals.images) / seconds_since(epoch_start);
        if (validating) {
            const auto tally = predict(model, data.validation_images, data.validation_labels, data.statistics, 256,
                                       device, data.classes);
            result.validation_loss = tally.mean_loss();
            result.validation_accuracy = tally.accuracy();
        }
        result.seconds = seconds_since(epoch_start);
        record.history.push_back(result);

        const double score = validating ? result.validation_accuracy : result.train_accuracy;
        const bool improved = score > best_accuracy;
        if (improved) {
            best_accuracy = score;
            record.best_epoch = epoch;
            best_state = snapshot(state);
        }
        bar.clear();
        const auto epoch_level = hooks.log_epochs ? spdlog::level::info : spdlog::level::debug;
        spdlog::log(epoch_level,
                    "epoch {}/{}: loss {:.4f}, train accuracy {:.2f}%, validation accuracy {:.2f}%, {:.0f} images/s, {}{}",
                    epoch, record.epochs, result.train_loss, 100.0 * result.train_accuracy,
                    100.0 * result.validation_accuracy, result.images_per_second, format_duration(result.seconds),
                    improved ? " (best)" : "");

        if (record.patience > 0 && validating && epoch - record.best_epoch >= record.patience) {
            spdlog::log(epoch_level, "stopping early: no better validation accuracy for {} epochs; keeping epoch {}",
                        record.patience, record.best_epoch);
            break;
        }
    }

    restore(state, best_state);
    record.seconds = seconds_since(run_start);
    return best_accuracy;
}

} // namespace crimp
