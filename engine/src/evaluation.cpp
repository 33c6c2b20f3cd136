#include <crimp/engine/evaluation.hpp>

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>
#include <crimp/engine/training.hpp>

#include <spdlog/spdlog.h>

#include <chrono>

namespace crimp
{

evaluation_report evaluate_model_file(const evaluation_options &options)
{
    if (options.batch_size < 1) {
        throw usage_error("invalid --batch-size " + std::to_string(options.batch_size) + ": expected 1 or more");
    }
    if (options.split == split_kind::train) {
        throw usage_error("invalid --split train: evaluate on test or validation");
    }
    const torch::Device device = resolve_device(options.device);
    set_torch_threads(options.threads);

    auto [model, metadata] = options.load(options.model_file);
    model->to(device);
    const image_set images = load_split_images(metadata.dataset, options.data_dir, metadata.split, options.split);
    const auto image_tensor = images_to_tensor(images);
    const auto label_tensor = labels_to_tensor(images);

    const auto start = std::chrono::steady_clock::now();
    const auto tally = predict(*model, image_tensor, label_tensor, metadata.statistics, options.batch_size, device,
                               metadata.classes);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    evaluation_report report;
    report.architecture = metadata.architecture;
    report.dataset = to_string(metadata.dataset);
    report.split = to_string(options.split);
    report.accuracy = tally.accuracy();
    report.loss = tally.mean_loss();
    for (std::size_t c = 0; c < tally.correct_per_class.size(); ++c) {
        const auto total = tally.total_per_class[c];
        report.per_class_accuracy.push_back(total == 0 ? 0.0
                                                       : static_cast<double>(tally.correct_per_class[c])
                                                             / static_cast<double>(total));
    }
    report.images = images.size();
    report.seconds = seconds;
    report.images_per_second = seconds > 0.0 ? static_cast<double>(images.size()) / seconds : 0.0;
    return report;
}

} // namespace crimp
