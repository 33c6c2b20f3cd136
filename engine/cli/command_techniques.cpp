#include "command_line.hpp"

#include <crimp/compression/genome.hpp>
#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/dataset.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/search/technique_table.hpp>

#include <sstream>

namespace crimp::cli
{

namespace
{

std::vector<int> parse_techniques(const std::string &text)
{
    std::vector<int> techniques;
    if (text == "all") {
        for (int technique = 1; technique <= compression::technique_count; ++technique) {
            techniques.push_back(technique);
        }
        return techniques;
    }
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
        int technique = 0;
        try {
            technique = std::stoi(item);
        } catch (const std::exception &) {
            throw usage_error("invalid --techniques '" + text + "': expected all or a comma list of 1 to 16");
        }
        compression::technique_genome(technique, 1); // raises for a number outside 1..16
        techniques.push_back(technique);
    }
    return techniques;
}

} // namespace

command make_techniques_command()
{
    command entry;
    entry.name = "techniques";
    entry.summary = "Run the 16 compression techniques of arXiv 2512.24971 on a baseline and write their objectives "
                    "as a model table (CSV) for `crimp front --reference`.";
    entry.add_options = [](po::options_description &options) {
        const search::search_config defaults;
        options.add_options()
            ("baseline", po::value<std::string>()->required()->value_name("FILE.pt"), "model written by `crimp train`")
            ("out", po::value<std::string>()->required()->value_name("FILE.csv"), "model table to write ('-': stdout)")
            ("data-dir", po::value<std::string>()->default_value("")->value_name("DIR"),
             "folder with the dataset and frost/ (default: $CRIMP_DATA, else data/)")
            ("techniques", po::value<std::string>()->default_value("all"), "all, or a comma list of 1 to 16")
            ("finetune-epochs", po::value<int>()->default_value(2), "fine-tuning epochs of techniques 3 to 16")
            ("finetune-images", po::value<std::size_t>()->default_value(0)->value_name("N"),
             "training images for fine-tuning and calibration (0: all)")
            ("validation-images", po::value<std::size_t>()->default_value(defaults.validation_images)->value_name("N"),
             "clean validation images scored (0: the whole validation split); use the search's value to compare")
            ("corrupt-images", po::value<std::size_t>()->default_value(defaults.corrupt_images)->value_name("N"),
             "corrupted images per corruption and severity; use the search's value to compare")
            ("corruptions", po::value<std::string>()->default_value(defaults.corruptions), "corruptions of the mCE")
            ("seed", po::value<std::uint64_t>()->default_value(0), "seed of sampling and fine-tuning, as the search's")
            ("corruption-seed", po::value<std::uint64_t>()->default_value(0), "seed of the corruptions")
            ("threads", po::value<int>()->default_value(0)->value_name("N"), "LibTorch threads (0: one per core)");
    };
    entry.run = [](const po::variables_map &values) {
        const auto techniques = parse_techniques(values["techniques"].as<std::string>());
        search::search_config config;
        config.baseline = values["baseline"].as<std::string>();
        config.data_dir = resolve_data_dir(values["data-dir"].as<std::string>());
        config.finetune_images = values["finetune-images"].as<std::size_t>();
        config.validation_images = values["validation-images"].as<std::size_t>();
        config.corrupt_images = values["corrupt-images"].as<std::size_t>();
        config.corruptions = values["corruptions"].as<std::string>();
        config.seed = values["seed"].as<std::uint64_t>();
        config.corruption_seed = values["corruption-seed"].as<std::uint64_t>();
        config.threads = values["threads"].as<int>();
        const auto baseline = load_model(config.baseline);
        config.architecture = baseline.metadata.architecture;
        config.dataset = to_string(baseline.metadata.dataset);
        const int epochs = values["finetune-epochs"].as<int>();
        if (epochs < 1) {
            throw usage_error("invalid --finetune-epochs " + std::to_string(epochs) + ": expected 1 or more");
        }
        write_output_file(values["out"].as<std::string>(), search::technique_table(config, techniques, epochs));
    };
    return entry;
}

} // namespace crimp::cli
