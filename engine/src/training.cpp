#include <crimp/engine/training.hpp>

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/model_zoo.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/split.hpp>

#include <spdlog/spdlog.h>

#include <numeric>

namespace crimp
{

namespace
{

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
    spdlog::info("training {} on {} {} images ({} held out for validation), {} epochs, {} thread(s) on {}",
                 options.architecture, train_set.size(), to_string(options.dataset), validation_set.size(),
                 options.epochs, threads, device.str());

    // 2. Build the model and train it with a per-iteration cosine learning-rate schedule.
    auto model = make_classifier(options.architecture, metadata.classes);
    model->to(device);
    const double peak_rate = options.learning_rate >= 0.0 ? options.learning_rate
                                                          : (options.optimizer == "adam" ? 1e-3 : 0.1);
    auto &record = metadata.training;
    record = {options.optimizer, peak_rate, options.momentum, options.weight_decay, options.batch_size,
              options.epochs,    options.patience, options.seed, 0, 0.0, {}};
    const fit_data data{images_to_tensor(train_set), labels_to_tensor(train_set), images_to_tensor(validation_set),
                        labels_to_tensor(validation_set), metadata.statistics, metadata.classes};
    const double best_accuracy = fit_classifier(*model, data, record, device, {}, options.progress_bar);

    // 3. Write the best epoch's weights.
    model->to(torch::kCPU);
    save_model(options.output, *model, metadata);
    spdlog::info("wrote {} (epoch {}, accuracy {:.2f}%) in {}", options.output.string(), record.best_epoch,
                 100.0 * best_accuracy, format_duration(record.seconds));
    return {metadata, best_accuracy};
}

} // namespace crimp
