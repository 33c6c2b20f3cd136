#include <crimp/search/search_config.hpp>

#include <crimp/engine/error.hpp>
#include <crimp/engine/name_list.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace crimp::search
{

using compression::route_kind;

void validate(const search_config &config)
{
    if (config.population < 8 || config.population % 4 != 0) {
        throw usage_error(fmt::format("invalid population {}: pagmo's NSGA-II needs a multiple of 4 that is at "
                                      "least 8, e.g. 8, 12 or 16",
                                      config.population));
    }
    if (config.generations < 0) {
        throw usage_error(fmt::format("invalid generations {}: expected 0 or more", config.generations));
    }
    if (config.threads < 0 || config.workers < 1) {
        throw usage_error(fmt::format("invalid threads {} or workers {}: expected threads >= 0 (0: all cores) and "
                                      "workers >= 1",
                                      config.threads, config.workers));
    }
    if (config.simulate_eval_ms < 0) {
        throw usage_error(fmt::format("invalid simulate-eval-ms {}: expected 0 (real evaluations) or a positive "
                                      "number of milliseconds",
                                      config.simulate_eval_ms));
    }
    if (!(config.sparsity_max >= 0.0 && config.sparsity_max <= 0.99)) {
        throw usage_error(fmt::format("invalid sparsity-max {}: expected a fraction in [0, 0.99]", config.sparsity_max));
    }
    if (config.bits_min < 2 || config.bits_min > 8) {
        throw usage_error(fmt::format("invalid bits-min {}: expected 2 to 8", config.bits_min));
    }
    if ((config.bits_max < config.bits_min || config.bits_max > 8) && config.bits_max != 32) {
        throw usage_error(fmt::format("invalid bits-max {}: expected bits-min ({}) to 8, or 32 to allow float weights",
                                      config.bits_max, config.bits_min));
    }
    const bool power_of_two = config.clusters_max > 0 && (config.clusters_max & (config.clusters_max - 1)) == 0;
    if (config.clusters_max != 0 && (!power_of_two || config.clusters_max < 2 || config.clusters_max > 256)) {
        throw usage_error(fmt::format("invalid clusters-max {}: expected 0 (no clustering) or a power of two from 2 "
                                      "to 256",
                                      config.clusters_max));
    }
    if (config.routes.empty()) {
        throw usage_error("invalid routes: name at least one of ptq and finetune");
    }
    if (config.finetune_epochs_max < 1) {
        throw usage_error(fmt::format("invalid finetune-epochs-max {}: expected 1 or more", config.finetune_epochs_max));
    }
    if (!(config.min_accuracy >= 0.0 && config.min_accuracy < 1.0)) {
        throw usage_error(fmt::format("invalid min-accuracy {}: expected a fraction in [0, 1)", config.min_accuracy));
    }
    if (!(config.max_mce >= 0.0)) {
        throw usage_error(fmt::format("invalid max-mce {}: expected 0 (no limit) or a positive mCE", config.max_mce));
    }
    if (config.corrupt_images < 1) {
        throw usage_error("invalid corrupt-images 0: expected 1 or more images per corruption and severity");
    }
    if (config.baseline.empty()) {
        throw usage_error("missing baseline: name the trained model file (it is trained when absent)");
    }
}

std::vector<route_kind> parse_routes(const std::string &text)
{
    std::vector<route_kind> routes;
    for (const auto &name : split_name_list(text)) {
        const auto route = compression::parse_route(name);
        if (std::find(routes.begin(), routes.end(), route) != routes.end()) {
            throw usage_error("invalid routes '" + text + "': " + name + " is named twice");
        }
        routes.push_back(route);
    }
    return routes;
}

std::string routes_to_string(const std::vector<route_kind> &routes)
{
    std::string text;
    for (const auto route : routes) {
        text += (text.empty() ? "" : ",") + compression::to_string(route);
    }
    return text;
}

std::string config_to_json(const search_config &config)
{
    const nlohmann::json document = {{"format", "crimp-search"},
                                     {"model", config.architecture},
                                     {"dataset", config.dataset},
                                     {"data_dir", config.data_dir.string()},
                                     {"baseline", config.baseline.string()},
                                     {"baseline_epochs", config.baseline_epochs},
                                     {"population", config.population},
                                     {"generations", config.generations},
                                     {"seed", config.seed},
                                     {"threads", config.threads},
                                     {"workers", config.workers},
                                     {"validation_images", config.validation_images},
                                     {"corrupt_images", config.corrupt_images},
                                     {"corruptions", config.corruptions},
                                     {"corruption_seed", config.corruption_seed},
                                     {"sparsity_max", config.sparsity_max},
                                     {"bits_min", config.bits_min},
                                     {"bits_max", config.bits_max},
                                     {"clusters_max", config.clusters_max},
                                     {"routes", routes_to_string(config.routes)},
                                     {"finetune_epochs_max", config.finetune_epochs_max},
                                     {"finetune_images", config.finetune_images},
                                     {"min_accuracy", config.min_accuracy},
                                     {"max_mce", config.max_mce},
                                     {"simulate_eval_ms", config.simulate_eval_ms}};
    return document.dump(2);
}

search_config config_from_json(const std::string &text, const std::string &source)
{
    try {
        const auto document = nlohmann::json::parse(text);
        if (document.at("format").get<std::string>() != "crimp-search") {
            throw input_error("invalid run file '" + source + "': its configuration is not a crimp search");
        }
        search_config config;
        config.architecture = document.at("model").get<std::string>();
        config.dataset = document.at("dataset").get<std::string>();
        config.data_dir = document.at("data_dir").get<std::string>();
        config.baseline = document.at("baseline").get<std::string>();
        config.baseline_epochs = document.at("baseline_epochs").get<int>();
        config.population = document.at("population").get<int>();
        config.generations = document.at("generations").get<int>();
        config.seed = document.at("seed").get<std::uint64_t>();
        config.threads = document.at("threads").get<int>();
        config.workers = document.at("workers").get<int>();
        config.validation_images = document.at("validation_images").get<std::size_t>();
        config.corrupt_images = document.at("corrupt_images").get<std::size_t>();
        config.corruptions = document.at("corruptions").get<std::string>();
        config.corruption_seed = document.at("corruption_seed").get<std::uint64_t>();
        config.sparsity_max = document.at("sparsity_max").get<double>();
        config.bits_min = document.at("bits_min").get<int>();
        config.bits_max = document.at("bits_max").get<int>();
        config.clusters_max = document.at("clusters_max").get<int>();
        config.routes = parse_routes(document.at("routes").get<std::string>());
        config.finetune_epochs_max = document.at("finetune_epochs_max").get<int>();
        config.finetune_images = document.at("finetune_images").get<std::size_t>();
        config.min_accuracy = document.at("min_accuracy").get<double>();
        config.max_mce = document.at("max_mce").get<double>();
        // Run files written before simulated evaluations existed lack the key.
        config.simulate_eval_ms = document.value("simulate_eval_ms", 0);
        return config;
    } catch (const nlohmann::json::exception &error) {
        throw input_error("invalid run file '" + source + "': malformed configuration: " + error.what());
    } catch (const usage_error &error) {
        throw input_error("invalid run file '" + source + "': " + error.what());
    }
}

} // namespace crimp::search
