#include <crimp/search/evaluator_setup.hpp>

#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/split.hpp>
#include <crimp/engine/training.hpp>

#include <spdlog/spdlog.h>

#include <numeric>

namespace crimp::search
{

namespace
{

// The images of a split that the configuration scores; the clean images default to the whole split.
scoring_request scoring_request_of(const search_config &config, const trained_model &baseline, split_kind which)
{
    scoring_request request;
    request.dataset = baseline.metadata.dataset;
    request.data_dir = config.data_dir;
    request.split = baseline.metadata.split;
    request.which = which;
    request.corrupt_images = config.corrupt_images;
    request.corruptions = corruption::parse_corruption_list(config.corruptions);
    request.corruption_seed = config.corruption_seed;
    request.sample_seed = config.seed;
    return request;
}

} // namespace

trained_model prepare_baseline(const search_config &config, bool may_train)
{
    if (!std::filesystem::exists(config.baseline) && !may_train) {
        throw input_error("baseline '" + config.baseline.string()
                          + "' not found: the run's evaluations were made with it, so restore the file at that path "
                            "to continue the run");
    }
    if (!std::filesystem::exists(config.baseline)) {
        spdlog::warn("baseline '{}' not found: training {} for {} epoch(s) first, which takes a while; pass the path "
                     "of a trained baseline to skip this",
                     config.baseline.string(), config.architecture, config.baseline_epochs);
        training_options options;
        options.architecture = config.architecture;
        options.dataset = parse_dataset(config.dataset);
        options.data_dir = config.data_dir;
        options.output = config.baseline;
        options.epochs = config.baseline_epochs;
        options.seed = config.seed;
        options.threads = config.threads;
        options.device = "cpu";
        options.progress_bar = stderr_is_terminal();
        train_classifier(options);
    }
    auto baseline = load_model(config.baseline);
    if (baseline.metadata.architecture != config.architecture
        || to_string(baseline.metadata.dataset) != config.dataset) {
        throw usage_error("baseline '" + config.baseline.string() + "' is a " + baseline.metadata.architecture + " on "
                          + to_string(baseline.metadata.dataset) + ", but the search asks for " + config.architecture
                          + " on " + config.dataset + ": fix `model`, `dataset` or `baseline`");
    }
    if (baseline.metadata.split.validation_images == 0) {
        throw usage_error("baseline '" + config.baseline.string()
                          + "' held out no validation images, so genomes cannot be scored honestly: train it with "
                            "--validation-images");
    }
    return baseline;
}

std::shared_ptr<genome_evaluator> make_genome_evaluator(const search_config &config, trained_model baseline)
{
    auto request = scoring_request_of(config, baseline, split_kind::validation);
    request.clean_images = config.validation_images;
    auto validation = build_scoring_set(request);

    fit_data training;
    const auto train = load_split_images(baseline.metadata.dataset, config.data_dir, baseline.metadata.split,
                                         split_kind::train);
    image_set subset = train;
    if (config.finetune_images > 0 && config.finetune_images < train.size()) {
        std::vector<std::size_t> positions(train.size());
        std::iota(positions.begin(), positions.end(), std::size_t{0});
        subset = select(train, stratified_split(train.labels, positions, config.finetune_images, config.seed).held_out);
    }
    training.train_images = images_to_tensor(subset);
    training.train_labels = labels_to_tensor(subset);
    training.validation_images = validation.clean_images;
    training.validation_labels = validation.clean_labels;
    training.statistics = baseline.metadata.statistics;
    training.classes = baseline.metadata.classes;
    return std::make_shared<genome_evaluator>(config, std::move(baseline), std::move(validation), std::move(training));
}

scoring_set make_test_scoring_set(const search_config &config, const trained_model &baseline)
{
    return build_scoring_set(scoring_request_of(config, baseline, split_kind::test));
}

} // namespace crimp::search
