#include "command_line.hpp"

#include <crimp/engine/evaluation.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace crimp::cli
{

command make_evaluate_command()
{
    command entry;
    entry.name = "evaluate";
    entry.summary = "Measure a trained model's top-1 accuracy, per class, on the test or validation split.";
    entry.add_options = [](po::options_description &options) {
        options.add_options()
            ("model", po::value<std::string>()->required()->value_name("FILE.pt"), "model written by `crimp train`")
            ("data-dir", po::value<std::string>()->default_value("")->value_name("DIR"),
             "folder with cifar-10-batches-bin/ or cifar-100-binary/ (default: $CRIMP_DATA, else data/)")
            ("split", po::value<std::string>()->default_value("test"),
             "test, or validation (the images the model held out during training)")
            ("batch-size", po::value<int>()->default_value(256)->value_name("N"), "images per inference batch")
            ("threads", po::value<int>()->default_value(0)->value_name("N"), "LibTorch threads (0: one per core)")
            ("device", po::value<std::string>()->default_value("auto"), "cpu, cuda or auto")
            ("json", po::value<std::string>()->value_name("FILE"), "also write the results as JSON ('-': stdout)");
    };
    entry.run = [](const po::variables_map &values) {
        evaluation_options options;
        options.model_file = values["model"].as<std::string>();
        options.data_dir = resolve_data_dir(values["data-dir"].as<std::string>());
        options.split = parse_split(values["split"].as<std::string>());
        options.batch_size = values["batch-size"].as<int>();
        options.threads = values["threads"].as<int>();
        options.device = values["device"].as<std::string>();

        const auto report = evaluate_model_file(options);
        spdlog::info("{} on {} {}: accuracy {:.2f}% over {} images, {:.0f} images/s", report.architecture,
                     report.dataset, report.split, 100.0 * report.accuracy, report.images, report.images_per_second);
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
            write_json_file(values["json"].as<std::string>(), document.dump(2));
        }
    };
    return entry;
}

} // namespace crimp::cli
