#include <crimp/engine/training.hpp>

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>
#include <crimp/engine/model_zoo.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/split.hpp>

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

void validate(const training_options &options)
{
    check_architecture(options.architecture);
    if (options.epochs < 1) {
        throw usage_error("invalid --epochs " + std::to_string(options.epochs) + ": expected 1 or more");
    }
    if (options.batch_size < 2) {
        throw usage_error("invalid --batch-size " + std::to_string(options.batch_size)
                          + ": expected 2 or more, because batch norm needs two images per batch");
    }
    if (options.optimizer != "sgd" && options.optimizer != "adam") {
        throw usage_error("invalid --optimizer '" + options.optimizer + "': expected sgd or adam");
    }
    if (options.patience < 0) {
        throw usage_error("invalid --patience " + std::to_string(options.patience) + ": expected 0 (off) or more");
    }
    if (options.weight_decay < 0.0 || options.momentum < 0.0 || options.momentum >= 1.0) {
        throw usage_error("invalid --weight-decay or --momentum: expected weight decay >= 0 and momentum in [0, 1)");
    }
    if (options.output.empty()) {
        throw usage_error("missing --out: name the model file to write, e.g. --out resnet20.pt");
    }
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(ClassifierImpl &model, const training_options &options,
                                                        double learning_rate)
{
    if (options.optimizer == "adam") {
        return std::make_unique<torch::optim::Adam>(
            model.parameters(), torch::optim::AdamOptions(learning_rate).weight_decay(options.weight_decay));
    }
    return std::make_unique<torch::optim::SGD>(model.parameters(), torch::optim::SGDOptions(learning_rate)
                                                                       .momentum(options.momentum)
                                                                       .nesterov(options.momentum > 0.0)
                                                                       .weight_decay(options.weight_decay));
}

// Copies of every parameter and buffer, to keep the weights of the best epoch.
std::vector<torch::Tensor> snapshot(ClassifierImpl &model)
{
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> copies;
    for (const auto &parameter : model.parameters()) {
        copies.push_back(parameter.detach().clone());
    }
    for (const auto &buffer : model.buffers()) {
        copies.push_back(buffer.detach().clone());
    }
    return copies;
}

void restore(ClassifierImpl &model, const std::vector<torch::Tensor> &copies)
{
    torch::NoGradGuard no_grad;
    std::size_t i = 0;
    for (auto &parameter : model.parameters()) {
        parameter.copy_(copies[i++]);
    }
    for (auto &buffer : model.buffers()) {
        buffer.copy_(copies[i++]);
    }
}

struct epoch_totals {
    double loss_sum = 0.0;
    std::int64_t correct = 0;
    std::int64_t images = 0;
};

} // namespace

image_set load_split_images(dataset_kind dataset, const std::filesystem::path &data_dir, const split_record &split,
                            split_kind which)
{
    if (which == split_kind::test) {
        return load_cifar(dataset, data_dir, /*test_file=*/true);
    }

    if (which == split_kind::validation && split.validation_images == 0) {
        throw usage_error("--split validation: the model was trained without a validation split; use --split test");
    }
    const image_set all = load_cifar(dataset, data_dir, /*test_file=*/false);
    std::vector<std::size_t> positions(all.size());
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    auto held_out = stratified_split(all.labels, positions, split.validation_images, split.seed);
    if (which == split_kind::validation) {
        return select(all, held_out.held_out);
    }

    if (split.train_images > held_out.remaining.size()) {
        throw usage_error("invalid --train-images " + std::to_string(split.train_images) + ": only "
                          + std::to_string(held_out.remaining.size()) + " training images remain after the validation split");
    }
    if (split.train_images == 0 || split.train_images == held_out.remaining.size()) {
        return select(all, held_out.remaining);
    }
    // The subset is itself a stratified hold-out of the remaining images, with a derived seed.
    const auto subset = stratified_split(all.labels, held_out.remaining, split.train_images, derive_seed(split.seed, 1));
    return select(all, subset.held_out);
}

training_summary train_classifier(const training_options &options)
{
    // 1. Validate the options and prepare the device, threads and data.
    validate(options);
    const torch::Device device = resolve_device(options.device);
    const int threads = set_torch_threads(options.threads);
    torch::manual_seed(options.seed);

    model_metadata metadata;
    metadata.architecture = options.architecture;
    metadata.dataset = options.dataset;
    metadata.classes = class_count(options.dataset);
    metadata.statistics = dataset_normalisation(options.dataset);
    metadata.split = {options.split_seed, options.validation_images, options.train_images};

    const image_set train_set = load_split_images(options.dataset, options.data_dir, metadata.split, split_kind::train);
    image_set validation_set;
    validation_set.classes = metadata.classes;
    if (options.validation_images > 0) {
        validation_set = load_split_images(options.dataset, options.data_dir, metadata.split, split_kind::validation);
    }
    if (train_set.size() < 2) {
        throw usage_error("only " + std::to_string(train_set.size())
                          + " training image(s) remain: lower --validation-images or raise --train-images");
    }
    metadata.split.train_images = train_set.size();
    const auto train_images = images_to_tensor(train_set);
    const auto train_labels = labels_to_tensor(train_set);
    const auto validation_images = images_to_tensor(validation_set);
    const auto validation_labels = labels_to_tensor(validation_set);
    spdlog::info("training {} on {} {} images ({} held out for validation), {} epochs, {} thread(s) on {}",
                 options.architecture, train_set.size(), to_string(options.dataset), validation_set.size(),
                 options.epochs, threads, device.str());

    // 2. Build the model and the optimizer with a per-iteration cosine learning-rate schedule.
    auto model = make_classifier(options.architecture, metadata.classes);
    model->to(device);
    const double peak_rate = options.learning_rate >= 0.0 ? options.learning_rate
                                                          : (options.optimizer == "adam" ? 1e-3 : 0.1);
    auto optimizer = make_optimizer(*model, options, peak_rate);

    auto &record = metadata.training;
    record = {options.optimizer, peak_rate, options.momentum, options.weight_decay, options.batch_size,
              options.epochs,    options.patience, options.seed, 0, 0.0, {}};

    const auto train_count = static_cast<std::int64_t>(train_set.size());
    const std::int64_t batches_per_epoch = (train_count + options.batch_size - 1) / options.batch_size;
    const std::int64_t total_steps = batches_per_epoch * options.epochs;
    const auto run_start = clock_type::now();
    double best_accuracy = -1.0;
    std::vector<torch::Tensor> best_weights;
    progress_bar bar(static_cast<std::size_t>(total_steps), options.progress_bar);

    // 3. Train epoch by epoch; validate after each and keep the best weights.
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        const auto epoch_start = clock_type::now();
        model->train();
        splitmix64 generator(derive_seed(options.seed, static_cast<std::uint64_t>(epoch)));
        std::vector<std::int64_t> order(static_cast<std::size_t>(train_count));
        std::iota(order.begin(), order.end(), std::int64_t{0});
        shuffle(order, generator);
        const auto order_tensor = torch::from_blob(order.data(), {train_count}, torch::kInt64);

        epoch_totals totals;
        double learning_rate = peak_rate;
        for (std::int64_t batch = 0; batch < batches_per_epoch; ++batch) {
            const auto indices = order_tensor.slice(0, batch * options.batch_size, (batch + 1) * options.batch_size);
            if (indices.size(0) < 2) {
                continue; // Batch norm cannot normalise a single image in training mode.
            }
            const std::int64_t step = (epoch - 1) * batches_per_epoch + batch;
            learning_rate = 0.5 * peak_rate * (1.0 + std::cos(M_PI * static_cast<double>(step) / total_steps));
            for (auto &group : optimizer->param_groups()) {
                group.options().set_lr(learning_rate);
            }

            const auto inputs = normalise(augment(train_images.index_select(0, indices), generator).to(device),
                                          metadata.statistics);
            const auto targets = train_labels.index_select(0, indices).to(device);
            optimizer->zero_grad();
            const auto logits = model->forward(inputs);
            const auto loss = torch::nn::functional::cross_entropy(logits, targets);
            loss.backward();
            optimizer->step();

            const double batch_loss = loss.item<double>();
            if (!std::isfinite(batch_loss)) {
                throw training_diverged("training diverged at epoch " + std::to_string(epoch) + ", batch "
                                        + std::to_string(batch + 1) + ": the loss is " + std::to_string(batch_loss)
                                        + "; lower --lr");
            }
            totals.loss_sum += batch_loss * static_cast<double>(indices.size(0));
            totals.correct += logits.argmax(1).eq(targets).sum().item<std::int64_t>();
            totals.images += indices.size(0);

            const double elapsed = seconds_since(run_start);
            const double done = static_cast<double>(step + 1) / static_cast<double>(total_steps);
            bar.update(static_cast<std::size_t>(step + 1),
                       fmt::format("epoch {}/{} loss {:.3f} val {} {:.0f} img/s ETA {}", epoch, options.epochs,
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
        if (validation_set.size() > 0) {
            const auto tally = predict(*model, validation_images, validation_labels, metadata.statistics,
                                       256, device, metadata.classes);
            result.validation_loss = tally.mean_loss();
            result.validation_accuracy = tally.accuracy();
        }
        result.seconds = seconds_since(epoch_start);
        record.history.push_back(result);

        const double score = validation_set.size() > 0 ? result.validation_accuracy : result.train_accuracy;
        const bool improved = score > best_accuracy;
        if (improved) {
            best_accuracy = score;
            record.best_epoch = epoch;
            best_weights = snapshot(*model);
        }
        bar.clear();
        spdlog::info("epoch {}/{}: loss {:.4f}, train accuracy {:.2f}%, validation accuracy {:.2f}%, {:.0f} images/s, {}{}",
                     epoch, options.epochs, result.train_loss, 100.0 * result.train_accuracy,
                     100.0 * result.validation_accuracy, result.images_per_second, format_duration(result.seconds),
                     improved ? " (best)" : "");

        if (options.patience > 0 && validation_set.size() > 0 && epoch - record.best_epoch >= options.patience) {
            spdlog::info("stopping early: no better validation accuracy for {} epochs; keeping epoch {}",
                         options.patience, record.best_epoch);
            break;
        }
    }

    // 4. Keep the best epoch's weights and write the model.
    restore(*model, best_weights);
    record.seconds = seconds_since(run_start);
    model->to(torch::kCPU);
    save_model(options.output, *model, metadata);
    spdlog::info("wrote {} (epoch {}, accuracy {:.2f}%) in {}", options.output.string(), record.best_epoch,
                 100.0 * best_accuracy, format_duration(record.seconds));
    return {metadata, best_accuracy};
}

} // namespace crimp
