#include "command_line.hpp"

#include <crimp/compression/model_files.hpp>
#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/evaluation.hpp>
#include <crimp/objectives/robustness_evaluation.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace crimp::cli
{

namespace
{

void run_clean_evaluation(const po::variables_map &values)
{
    evaluation_options options;
    options.model_file = values["model"].as<std::string>();
    options.load = compression::load_any_model;
    options.data_dir = resolve_data_dir(values["data-dir"].as<std::string>());
    options.split = parse_split(values["split"].as<std::string>());
    options.batch_size = values["batch-size"].as<int>();
    options.threads = values["threads"].as<int>();
    options.device = values["device"].as<std::string>();

    const auto report = evaluate_model_file(options);
    spdlog::info("{} on {} {}: accuracy {:.2f}% over {} images, {:.0f} images/s", report.architecture, report.dataset,
                 report.split, 100.0 * report.accuracy, report.images, report.images_per_second);
    for (std::size_t c = 0; c < report.per_class_accuracy.size() && report.per_class_accuracy.size() <= 10; ++c) {
        spdlog::info("  class {}: {:.2f}%", c, 100.0 * report.per_class_accuracy[c]);
    }

    if (values.count("json") != 0U) {
        const nlohmann::json document = {{"model", options.model_file.string()},
                                         {"architecture", report.architecture},
                                         {"dataset", report.dataset},
                                         {"split", report.split},
                                         {"accuracy", report.accuracy},
                                         {"loss", report.loss},
                                         {"per_class_accuracy", report.per_class_accuracy},
                                         {"images", report.images},
                                         {"seconds", report.seconds},
                                         {"images_per_second", report.images_per_second}};
        write_output_file(values["json"].as<std::string>(), document.dump(2));
    }
}

nlohmann::json robustness_to_json(const objectives::robustness_report &report, const std::string &model_file)
{
    nlohmann::json cells = nlohmann::json::array();
    for (const auto &cell : report.cells) {
        cells.push_back({{"corruption", cell.corruption},
                         {"severity", cell.severity},
                         {"images", cell.images},
                         {"error", cell.error},
                         {"baseline_error", cell.baseline_error}});
    }
    nlohmann::json document = {{"model", model_file},
                               {"architecture", report.architecture},
                               {"dataset", report.dataset},
                               {"split", report.split},
                               {"images", report.clean_images},
                               {"accuracy", report.accuracy},
                               {"corruption_errors", cells},
                               {"mean_corruption_error", report.mean_corruption_error}};
    if (report.scores) {
        document["baseline_accuracy"] = report.baseline_accuracy;
        document["ce"] = report.scores->corruption_errors;
        document["relative_ce"] = report.scores->relative_corruption_errors;
        document["mce"] = report.scores->mce;
        document["relative_mce"] = report.scores->relative_mce;
    }
    if (report.mce_interval) {
        document["mce_interval_95"] = {report.mce_interval->low, report.mce_interval->high};
    }
    if (report.expected_calibration_error) {
        document["expected_calibration_error"] = *report.expected_calibration_error;
    }
    if (report.latency_ms_batch1) {
        document["latency_ms_per_image"] = {{"batch_1", *report.latency_ms_batch1},
                                            {"batch_128", *report.latency_ms_batch128}};
    }
    return document;
}

void run_robustness_evaluation(const po::variables_map &values)
{
    objectives::robustness_options options;
    options.model_file = values["model"].as<std::string>();
    if (values.count("baseline") != 0U) {
        options.baseline_file = values["baseline"].as<std::string>();
    }
    options.data_dir = resolve_data_dir(values["data-dir"].as<std::string>());
    options.split = parse_split(values["split"].as<std::string>());
    if (values.count("corruptions") != 0U) {
        options.corruptions = corruption::parse_corruption_list(values["corruptions"].as<std::string>());
    }
    options.images_per_cell = values["corrupt-images"].as<std::size_t>();
    options.sample_seed = values["sample-seed"].as<std::uint64_t>();
    options.corruption_seed = values["corruption-seed"].as<std::uint64_t>();
    if (values.count("cache") != 0U) {
        options.cache_file = values["cache"].as<std::string>();
    }
    if (values.count("frost-dir") != 0U) {
        options.frost_dir = values["frost-dir"].as<std::string>();
    }
    options.rounding = objectives::parse_rounding_mode(values["rounding"].as<std::string>());
    options.bootstrap_resamples = values["bootstrap-resamples"].as<int>();
    options.calibration = values.count("calibration") != 0U;
    options.latency = values.count("latency") != 0U;
    options.batch_size = values["batch-size"].as<int>();
    options.threads = values["threads"].as<int>();
    options.device = values["device"].as<std::string>();
    if (options.batch_size < 1) {
        throw usage_error("invalid --batch-size " + std::to_string(options.batch_size) + ": expected 1 or more");
    }

    const auto report = objectives::evaluate_robustness(options);
    spdlog::info("{} on {} {}: clean accuracy {:.2f}%, mean corruption error {:.2f}%", report.architecture,
                 report.dataset, report.split, 100.0 * report.accuracy, report.mean_corruption_error);
    if (report.scores) {
        const auto &scores = *report.scores;
        spdlog::info("mCE {:.2f} (95% interval {:.2f} to {:.2f}), relative mCE {:.2f}, baseline accuracy {:.2f}%",
                     scores.mce, report.mce_interval->low, report.mce_interval->high, scores.relative_mce,
                     100.0 * report.baseline_accuracy);
        for (const auto &[name, value] : scores.corruption_errors) {
            spdlog::info("  CE {}: {:.1f}", name, value);
        }
    }
    if (report.expected_calibration_error) {
        spdlog::info("expected calibration error (15 bins): {:.4f}", *report.expected_calibration_error);
    }
    if (report.latency_ms_batch1) {
        spdlog::info("latency: {:.3f} ms per image at batch 1, {:.3f} ms at batch 128", *report.latency_ms_batch1,
                     *report.latency_ms_batch128);
    }
    if (values.count("json") != 0U) {
        write_output_file(values["json"].as<std::string>(), robustness_to_json(report, options.model_file.string()).dump(2));
    }
}

} // namespace

command make_evaluate_command()
{
    command entry;
    entry.name = "evaluate";
    entry.summary = "Measure a trained or compressed model's accuracy on a split, and with --corruptions its CE and mCE on "
                    "corrupted copies of it.";
    entry.add_options = [](po::options_description &options) {
        options.add_options()
            ("model", po::value<std::string>()->required()->value_name("FILE"),
             "model written by `crimp train` (.pt) or `crimp compress` (.crimp)")
            ("data-dir", po::value<std::string>()->default_value("")->value_name("DIR"),
             "folder with cifar-10-batches-bin/ or cifar-100-binary/ (default: $CRIMP_DATA, else data/)")
            ("split", po::value<std::string>()->default_value("test"),
             "test, or validation (the images the model held out during training)")
            ("corruptions", po::value<std::string>()->value_name("LIST"),
             "also evaluate on corrupted images: all, benchmark (the 15 of the mCE) or a comma-separated list")
            ("corrupt-images", po::value<std::size_t>()->default_value(0)->value_name("N"),
             "class-stratified sample of N images per (corruption, severity); 0 uses the whole split")
            ("baseline", po::value<std::string>()->value_name("FILE.pt"),
             "uncompressed model that normalises CE and mCE (baseline = 100)")
            ("rounding", po::value<std::string>()->default_value("none"),
             "none, or paper: each CE rounded to an integer and the mCE to one decimal")
            ("cache", po::value<std::string>()->value_name("FILE.h5"),
             "HDF5 cache of the corrupted split (default: $CRIMP_CACHE or results/cache, named by dataset, split "
             "and seed)")
            ("frost-dir", po::value<std::string>()->value_name("DIR"), "frost textures (default: DATA_DIR/frost)")
            ("corruption-seed", po::value<std::uint64_t>()->default_value(0), "seed of the random corruptions")
            ("sample-seed", po::value<std::uint64_t>()->default_value(0), "seed of the image samples and the bootstrap")
            ("bootstrap-resamples", po::value<int>()->default_value(1000)->value_name("N"),
             "bootstrap resamples of the 95% mCE interval")
            ("calibration", "also report the expected calibration error (15 bins) on the clean split")
            ("latency", "also measure ms per image at batch 1 and 128 (median of repeats)")
            ("batch-size", po::value<int>()->default_value(256)->value_name("N"), "images per inference batch")
            ("threads", po::value<int>()->default_value(0)->value_name("N"), "LibTorch threads (0: one per core)")
            ("device", po::value<std::string>()->default_value("auto"), "cpu, cuda or auto")
            ("json", po::value<std::string>()->value_name("FILE"), "also write the results as JSON ('-': stdout)");
    };
    entry.run = [](const po::variables_map &values) {
        const bool robustness = values.count("corruptions") + values.count("baseline") + values.count("calibration")
                                    + values.count("latency")
                                > 0;
        if (robustness) {
            run_robustness_evaluation(values);
        } else {
            run_clean_evaluation(values);
        }
    };
    return entry;
}

} // namespace crimp::cli
