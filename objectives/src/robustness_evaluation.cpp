#include <crimp/objectives/robustness_evaluation.hpp>

#include <crimp/compression/model_files.hpp>
#include <crimp/corruption/corruption_cache.hpp>
#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>
#include <crimp/engine/rng.hpp>
#include <crimp/engine/split.hpp>
#include <crimp/engine/training.hpp>
#include <crimp/objectives/calibration.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <tuple>
#include <chrono>
#include <cstdlib>
#include <numeric>

namespace crimp::objectives
{

namespace
{

namespace corruption = crimp::corruption;

// A loaded model with the device it runs on.
struct evaluated_model {
    trained_model loaded;
    torch::Device device;
};

std::vector<std::uint8_t> correctness(const image_predictions &predictions, const std::vector<std::int64_t> &labels)
{
    std::vector<std::uint8_t> correct(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        correct[i] = predictions.labels[i] == labels[i] ? 1 : 0;
    }
    return correct;
}

double error_rate(const std::vector<std::uint8_t> &correct)
{
    const auto hits = std::accumulate(correct.begin(), correct.end(), std::size_t{0});
    return correct.empty() ? 0.0 : 1.0 - static_cast<double>(hits) / static_cast<double>(correct.size());
}

std::vector<corruption::rgb_image> to_hwc_images(const image_set &images)
{
    std::vector<corruption::rgb_image> converted(images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
        converted[i] = corruption::from_planar(images.pixels.data() + i * image_bytes);
    }
    return converted;
}

// The sampled images of one severity as a uint8 tensor (n, 3, 32, 32), from the cache's HWC layout.
torch::Tensor sampled_tensor(const std::vector<std::uint8_t> &severity_major, std::size_t count, int severity,
                             const std::vector<std::size_t> &sample)
{
    const auto all = torch::from_blob(const_cast<std::uint8_t *>(severity_major.data()),
                                      {corruption::severities, static_cast<std::int64_t>(count), 32, 32, 3}, torch::kUInt8);
    std::vector<std::int64_t> indices(sample.begin(), sample.end());
    const auto index_tensor = torch::from_blob(indices.data(), {static_cast<std::int64_t>(indices.size())}, torch::kInt64);
    return all[severity - 1].index_select(0, index_tensor).permute({0, 3, 1, 2}).contiguous();
}

// The class-stratified sample of one (corruption, severity) cell, in ascending image order.
std::vector<std::size_t> cell_sample(const std::vector<std::int64_t> &labels, std::size_t images_per_cell,
                                     std::uint64_t seed, int corruption_index, int severity)
{
    std::vector<std::size_t> all(labels.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    if (images_per_cell == 0 || images_per_cell >= labels.size()) {
        return all;
    }
    const auto stream = static_cast<std::uint64_t>(corruption_index * corruption::severities + severity);
    return stratified_split(labels, all, images_per_cell, derive_seed(seed, stream)).held_out;
}

double median_milliseconds_per_image(ClassifierImpl &model, const torch::Tensor &images, const normalisation &statistics,
                                     const torch::Device &device, std::int64_t batch_size, int repeats)
{
    const auto batch = images.slice(0, 0, std::min<std::int64_t>(batch_size, images.size(0)));
    classify(model, batch, statistics, batch_size, device); // warm-up
    std::vector<double> times;
    for (int repeat = 0; repeat < repeats; ++repeat) {
        const auto start = std::chrono::steady_clock::now();
        classify(model, batch, statistics, batch_size, device);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        times.push_back(1000.0 * seconds / static_cast<double>(batch.size(0)));
    }
    std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2), times.end());
    return times[times.size() / 2];
}

void check_compatible(const model_metadata &model, const model_metadata &baseline, const std::filesystem::path &file,
                      split_kind split)
{
    // On the validation split the baseline must have held out the same images, or it is scored on
    // images it was trained on.
    if (split == split_kind::validation
        && (model.split.seed != baseline.split.seed || model.split.validation_images != baseline.split.validation_images)) {
        throw usage_error("baseline '" + file.string() + "' held out a different validation split than the model: "
                          "evaluate on --split test or use the model's own baseline");
    }
    if (model.dataset != baseline.dataset || model.classes != baseline.classes) {
        throw usage_error("baseline '" + file.string() + "' was trained on " + to_string(baseline.dataset) + " with "
                          + std::to_string(baseline.classes) + " classes, the model on " + to_string(model.dataset)
                          + " with " + std::to_string(model.classes) + ": use the model's own baseline");
    }
}

} // namespace

std::filesystem::path default_cache_file(const std::string &dataset, split_kind split, std::size_t validation_images,
                                         std::uint64_t split_seed, std::uint64_t corruption_seed)
{
    std::filesystem::path folder = "results/cache";
    if (const char *environment = std::getenv("CRIMP_CACHE"); environment != nullptr && *environment != '\0') {
        folder = environment;
    }
    std::string name = dataset + "-" + to_string(split);
    if (split == split_kind::validation) {
        name += "-" + std::to_string(validation_images) + "-" + std::to_string(split_seed);
    }
    return folder / (name + "-seed" + std::to_string(corruption_seed) + ".h5");
}

robustness_report evaluate_robustness(const robustness_options &options)
{
    // 1. Load the model, the baseline and the clean split the model defines.
    if (options.split == split_kind::train) {
        throw usage_error("invalid --split train: evaluate on test or validation");
    }
    if (options.bootstrap_resamples < minimum_bootstrap_resamples) {
        throw usage_error("invalid --bootstrap-resamples " + std::to_string(options.bootstrap_resamples) + ": expected "
                          + std::to_string(minimum_bootstrap_resamples) + " or more");
    }
    const torch::Device device = resolve_device(options.device);
    set_torch_threads(options.threads);
    auto model = compression::load_any_model(options.model_file);
    model.model->to(device);
    std::optional<trained_model> baseline;
    if (!options.baseline_file.empty()) {
        baseline = compression::load_any_model(options.baseline_file);
        check_compatible(model.metadata, baseline->metadata, options.baseline_file, options.split);
        baseline->model->to(device);
    }
    const auto &metadata = model.metadata;
    const image_set clean = load_split_images(metadata.dataset, options.data_dir, metadata.split, options.split);
    const auto clean_tensor = images_to_tensor(clean);

    robustness_report report;
    report.architecture = metadata.architecture;
    report.dataset = to_string(metadata.dataset);
    report.split = to_string(options.split);
    report.clean_images = clean.size();

    // 2. Clean accuracy, calibration and latency on the full split.
    const auto clean_predictions = classify(*model.model, clean_tensor, metadata.statistics, options.batch_size, device);
    const auto clean_correct = correctness(clean_predictions, clean.labels);
    error_table model_table;
    error_table baseline_table;
    model_table.clean_error = error_rate(clean_correct);
    report.accuracy = 1.0 - model_table.clean_error;
    if (baseline) {
        const auto predictions =
            classify(*baseline->model, clean_tensor, baseline->metadata.statistics, options.batch_size, device);
        baseline_table.clean_error = error_rate(correctness(predictions, clean.labels));
        report.baseline_accuracy = 1.0 - baseline_table.clean_error;
    }
    if (options.calibration) {
        report.expected_calibration_error = expected_calibration_error(clean_predictions.confidences, clean_correct);
    }
    if (options.latency) {
        report.latency_ms_batch1 = median_milliseconds_per_image(*model.model, clean_tensor, metadata.statistics, device, 1, 50);
        report.latency_ms_batch128 =
            median_milliseconds_per_image(*model.model, clean_tensor, metadata.statistics, device, 128, 7);
    }

    // 3. Errors on the sampled corrupted images of every (corruption, severity), read from the cache.
    if (options.corruptions.empty()) {
        return report;
    }
    corruption::corruption_resources resources;
    const auto cache_file = options.cache_file.empty()
                                ? default_cache_file(report.dataset, options.split, metadata.split.validation_images,
                                                     metadata.split.seed, options.corruption_seed)
                                : options.cache_file;
    corruption::corruption_cache cache(cache_file, to_hwc_images(clean), options.corruption_seed);
    std::vector<paired_outcomes> outcomes;
    double benchmark_error_sum = 0.0;
    int benchmark_cells = 0;
    for (const int index : options.corruptions) {
        const auto &info = corruption::corruption_list().at(static_cast<std::size_t>(index));
        if (info.name == "frost" && !resources.frost && !cache.contains(index)) {
            resources.frost = corruption::load_frost_textures(options.frost_dir.empty() ? options.data_dir / "frost"
                                                                                         : options.frost_dir);
        }
        const auto start = std::chrono::steady_clock::now();
        // NOTE: every evaluation reads and decompresses each whole set, 150 MB per corruption for the
        // CIFAR-10 test split. That dominates small samples, so a search should keep the sets in memory.
        const auto pixels = cache.load_or_generate(index, resources);
        for (int severity = 1; severity <= corruption::severities; ++severity) {
            const auto sample = cell_sample(clean.labels, options.images_per_cell, options.sample_seed, index, severity);
            const auto images = sampled_tensor(pixels, clean.size(), severity, sample);
            std::vector<std::int64_t> labels;
            for (const auto position : sample) {
                labels.push_back(clean.labels[position]);
            }

            paired_outcomes cell{std::string(info.name), severity, {}, {}};
            cell.model_correct = correctness(
                classify(*model.model, images, metadata.statistics, options.batch_size, device), labels);
            cell_error result{cell.corruption, severity, sample.size(), error_rate(cell.model_correct), 0.0};
            if (baseline) {
                cell.baseline_correct = correctness(
                    classify(*baseline->model, images, baseline->metadata.statistics, options.batch_size, device), labels);
                result.baseline_error = error_rate(cell.baseline_correct);
                baseline_table.corruption_errors[{cell.corruption, severity}] = result.baseline_error;
            }
            model_table.corruption_errors[{cell.corruption, severity}] = result.error;
            if (info.benchmark) {
                benchmark_error_sum += result.error;
                ++benchmark_cells;
            }
            report.cells.push_back(result);
            outcomes.push_back(std::move(cell));
        }
        spdlog::debug("{}: evaluated in {:.2f} s", info.name,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    report.mean_corruption_error = benchmark_cells == 0 ? 0.0 : 100.0 * benchmark_error_sum / benchmark_cells;

    // 4. CE and mCE against the baseline, with a bootstrap interval over the sampled images.
    const bool all_benchmark = std::all_of(benchmark_corruptions().begin(), benchmark_corruptions().end(),
                                           [&](const std::string &name) {
                                               return model_table.corruption_errors.count({name, 1}) != 0;
                                           });
    if (baseline && all_benchmark) {
        report.scores = score_robustness(model_table, baseline_table, options.rounding);
        std::vector<paired_outcomes> benchmark_outcomes;
        for (const auto &cell : outcomes) {
            if (std::find(benchmark_corruptions().begin(), benchmark_corruptions().end(), cell.corruption)
                != benchmark_corruptions().end()) {
                benchmark_outcomes.push_back(cell);
            }
        }
        // The bootstrap draws cells in order, so sorting them keeps the interval independent of the
        // order in which corruptions were requested.
        std::sort(benchmark_outcomes.begin(), benchmark_outcomes.end(), [](const auto &a, const auto &b) {
            return std::tie(a.corruption, a.severity) < std::tie(b.corruption, b.severity);
        });
        report.mce_interval = mce_bootstrap_interval(benchmark_outcomes, model_table.clean_error,
                                                     baseline_table.clean_error, 0.95, options.bootstrap_resamples,
                                                     options.sample_seed);
    } else if (baseline) {
        spdlog::warn("CE and mCE need all 15 benchmark corruptions; pass --corruptions all or benchmark");
    }
    return report;
}

} // namespace crimp::objectives
