#include <crimp/search/scoring_set.hpp>

#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/corruption/image.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>
#include <crimp/engine/rng.hpp>
#include <crimp/engine/split.hpp>
#include <crimp/engine/training.hpp>

#include <numeric>

namespace crimp::search
{

namespace
{

namespace corruption = crimp::corruption;

image_set stratified_subset(const image_set &images, std::size_t count, std::uint64_t seed)
{
    if (count == 0 || count >= images.size()) {
        return images;
    }
    std::vector<std::size_t> positions(images.size());
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    return select(images, stratified_split(images.labels, positions, count, seed).held_out);
}

double error_of(const image_predictions &predictions, const torch::Tensor &labels, std::int64_t begin, std::int64_t end)
{
    const auto *truth = labels.data_ptr<std::int64_t>();
    std::int64_t wrong = 0;
    for (std::int64_t i = begin; i < end; ++i) {
        wrong += predictions.labels[static_cast<std::size_t>(i)] != truth[i] ? 1 : 0;
    }
    return end > begin ? static_cast<double>(wrong) / static_cast<double>(end - begin) : 0.0;
}

} // namespace

scoring_set build_scoring_set(const scoring_request &request)
{
    const auto split = load_split_images(request.dataset, request.data_dir, request.split, request.which);
    const auto clean = stratified_subset(split, request.clean_images, request.sample_seed);

    scoring_set set;
    set.clean_images = images_to_tensor(clean);
    set.clean_labels = labels_to_tensor(clean);

    corruption::corruption_resources resources;
    if (corruption::needs_frost_textures(request.corruptions)) {
        resources.frost = corruption::load_frost_textures(request.data_dir / "frost");
    }
    for (const int index : request.corruptions) {
        const auto sample = stratified_subset(clean, request.corrupt_images,
                                              derive_seed(request.sample_seed, static_cast<std::uint64_t>(index) + 1));
        std::vector<corruption::rgb_image> images(sample.size());
        for (std::size_t i = 0; i < sample.size(); ++i) {
            images[i] = corruption::from_planar(sample.pixels.data() + i * image_bytes);
        }
        auto pixels = corruption::corrupt_images(images, index, {1, 2, 3, 4, 5}, request.corruption_seed, resources);
        const auto count = static_cast<std::int64_t>(sample.size());
        const auto hwc = torch::from_blob(pixels.data(), {5 * count, 32, 32, 3}, torch::kUInt8);
        set.corruption_names.emplace_back(corruption::corruption_list().at(static_cast<std::size_t>(index)).name);
        set.corrupted_images.push_back(hwc.permute({0, 3, 1, 2}).contiguous());
        set.corrupted_labels.push_back(labels_to_tensor(sample).repeat({5}));
    }
    return set;
}

objectives::error_table measure_errors(ClassifierImpl &model, const scoring_set &set, const normalisation &statistics)
{
    objectives::error_table table;
    const auto clean = classify(model, set.clean_images, statistics, 256, torch::kCPU);
    table.clean_error = error_of(clean, set.clean_labels, 0, set.clean_labels.size(0));
    for (std::size_t c = 0; c < set.corruption_names.size(); ++c) {
        const auto predictions = classify(model, set.corrupted_images[c], statistics, 256, torch::kCPU);
        const std::int64_t per_severity = set.corrupted_labels[c].size(0) / 5;
        for (int severity = 1; severity <= 5; ++severity) {
            table.corruption_errors[{set.corruption_names[c], severity}]
                = error_of(predictions, set.corrupted_labels[c], (severity - 1) * per_severity, severity * per_severity);
        }
    }
    return table;
}

} // namespace crimp::search
