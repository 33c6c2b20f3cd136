#include "command_line.hpp"
#include "run_file_options.hpp"
#include "search_launch.hpp"

#include <crimp/engine/dataset.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/search/run_file.hpp>
#include <crimp/search/search_run.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace crimp::cli
{

namespace
{

using namespace crimp::search;

void add_search_options(po::options_description &options)
{
    const search_config defaults;
    options.add_options()
        ("out", po::value<std::string>()->required()->value_name("RUN.h5"), "run file to write")
        ("force", "overwrite an existing run file")
        ("model", po::value<std::string>()->default_value(defaults.architecture)->value_name("NAME"),
         "architecture from `crimp models`")
        ("dataset", po::value<std::string>()->default_value(defaults.dataset), "cifar10 or cifar100")
        ("data-dir", po::value<std::string>()->default_value("")->value_name("DIR"),
         "folder with the dataset and frost/ (default: $CRIMP_DATA, else data/)")
        ("baseline", po::value<std::string>()->required()->value_name("FILE.pt"),
         "trained baseline; trained with --baseline-epochs and written here when absent")
        ("baseline-epochs", po::value<int>()->default_value(defaults.baseline_epochs), "epochs of a baseline trained here")
        ("population", po::value<int>()->default_value(defaults.population), "NSGA-II population, a multiple of 4, at least 8")
        ("generations", po::value<int>()->default_value(defaults.generations), "generations after the initial one")
        ("seed", po::value<std::uint64_t>()->default_value(defaults.seed), "seed of NSGA-II, sampling and fine-tuning")
        ("threads", po::value<int>()->default_value(defaults.threads), "cores for all workers together (0: all)")
        ("workers", po::value<int>()->default_value(defaults.workers), "genomes evaluated at once")
        ("validation-images", po::value<std::size_t>()->default_value(defaults.validation_images)->value_name("N"),
         "clean validation images per genome (0: the whole validation split)")
        ("corrupt-images", po::value<std::size_t>()->default_value(defaults.corrupt_images)->value_name("N"),
         "corrupted images per corruption and severity")
        ("corruptions", po::value<std::string>()->default_value(defaults.corruptions)->value_name("LIST"),
         "corruptions of the mCE: benchmark (the 15 of CIFAR-10-C) or a comma-separated list")
        ("corruption-seed", po::value<std::uint64_t>()->default_value(defaults.corruption_seed), "seed of the corruptions")
        ("sparsity-max", po::value<double>()->default_value(defaults.sparsity_max, "0.9"), "largest pruning sparsity")
        ("bits-min", po::value<int>()->default_value(defaults.bits_min), "fewest weight bits")
        ("bits-max", po::value<int>()->default_value(defaults.bits_max), "most weight bits, up to 8, or 32 for float")
        ("clusters-max", po::value<int>()->default_value(defaults.clusters_max),
         "most clusters per layer, a power of two up to 256 (0: no clustering)")
        ("routes", po::value<std::string>()->default_value("ptq,finetune"), "comma list of ptq and finetune")
        ("finetune-epochs-max", po::value<int>()->default_value(defaults.finetune_epochs_max), "most fine-tuning epochs")
        ("finetune-images", po::value<std::size_t>()->default_value(defaults.finetune_images)->value_name("N"),
         "training images for fine-tuning and calibration (0: all)")
        ("min-accuracy", po::value<double>()->default_value(defaults.min_accuracy),
         "genomes below this validation accuracy (a fraction) are penalised")
        ("max-mce", po::value<double>()->default_value(defaults.max_mce),
         "genomes above this mCE are penalised (0: no limit)")
        ("simulate-eval-ms", po::value<int>()->default_value(defaults.simulate_eval_ms)->value_name("MS"),
         "scaling studies only: each evaluation sleeps MS milliseconds and returns made-up objectives (0: real "
         "evaluations)");
    add_mpi_options(options);
}

search_config config_from(const po::variables_map &values)
{
    search_config config;
    config.architecture = values["model"].as<std::string>();
    config.dataset = values["dataset"].as<std::string>();
    parse_dataset(config.dataset);
    // Absolute paths, so that `crimp resume` finds the data and the baseline from any folder.
    config.data_dir = std::filesystem::absolute(resolve_data_dir(values["data-dir"].as<std::string>()));
    config.baseline = std::filesystem::absolute(values["baseline"].as<std::string>());
    config.baseline_epochs = values["baseline-epochs"].as<int>();
    config.population = values["population"].as<int>();
    config.generations = values["generations"].as<int>();
    config.seed = values["seed"].as<std::uint64_t>();
    config.threads = values["threads"].as<int>();
    config.workers = values["workers"].as<int>();
    config.validation_images = values["validation-images"].as<std::size_t>();
    config.corrupt_images = values["corrupt-images"].as<std::size_t>();
    config.corruptions = values["corruptions"].as<std::string>();
    config.corruption_seed = values["corruption-seed"].as<std::uint64_t>();
    config.sparsity_max = values["sparsity-max"].as<double>();
    config.bits_min = values["bits-min"].as<int>();
    config.bits_max = values["bits-max"].as<int>();
    config.clusters_max = values["clusters-max"].as<int>();
    config.routes = parse_routes(values["routes"].as<std::string>());
    config.finetune_epochs_max = values["finetune-epochs-max"].as<int>();
    config.finetune_images = values["finetune-images"].as<std::size_t>();
    config.min_accuracy = values["min-accuracy"].as<double>();
    config.max_mce = values["max-mce"].as<double>();
    config.simulate_eval_ms = values["simulate-eval-ms"].as<int>();
    return config;
}

void print_status(const po::variables_map &values)
{
    const std::string file = values["run"].as<std::string>();
    const auto state = read_run_file(file);
    const auto config = config_from_json(state.config_json, file);
    const int done = state.generations.empty() ? -1 : state.generations.back().generation;
    const auto failures = std::count_if(state.evaluations.begin(), state.evaluations.end(),
                                        [](const evaluation_record &record) { return !record.ok; });
    std::cout << "run file:     " << file << '\n'
              << "generation:   " << (done < 0 ? std::string("none complete") : std::to_string(done)) << " of "
              << config.generations << '\n'
              << "evaluations:  " << state.evaluations.size() << " (" << failures << " failed, " << state.cache_hits
              << " cache hits)\n"
              << "elapsed:      " << format_duration(state.elapsed_seconds) << '\n';
    if (config.simulate_eval_ms > 0) {
        std::cout << "simulated:    every evaluation slept " << config.simulate_eval_ms
                  << " ms and made up its objectives (--simulate-eval-ms), so the run has no models\n";
    }
    if (done >= 0 && done < config.generations) {
        const double per_generation = state.generations.back().elapsed_seconds / static_cast<double>(done + 1);
        std::cout << "time left:    " << format_duration(per_generation * (config.generations - done))
                  << " (estimate from the mean generation time; continue a stopped run with `crimp resume " << file
                  << "`)\n";
    }
    std::cout << "hypervolume per generation (reference point " << state.reference_point[0] << ", "
              << state.reference_point[1] << ", " << state.reference_point[2] << "):\n";
    for (const auto &generation : state.generations) {
        std::cout << fmt::format("  {:>3}  {:.6f}  {} evaluations  {}\n", generation.generation, generation.hypervolume,
                                 generation.evaluations, format_duration(generation.elapsed_seconds));
    }
}

} // namespace

command make_search_command()
{
    command entry;
    entry.name = "search";
    entry.summary = "Search compression genomes with NSGA-II for the Pareto front of accuracy, mCE and compression "
                    "ratio, checkpointing every generation into an HDF5 run file.";
    entry.add_options = add_search_options;
    entry.run = [](const po::variables_map &values) {
        const auto config = config_from(values);
        const std::string out = values["out"].as<std::string>();
        run_search_step(values, out, [&](mpi_worker_pool *ranks) {
            start_search(config, out, values.count("force") != 0U, ranks);
        });
    };
    return entry;
}

command make_resume_command()
{
    command entry;
    entry.name = "resume";
    entry.summary = "Continue an interrupted or finished search from its last complete generation.";
    entry.positional = "run";
    entry.add_options = [](po::options_description &options) {
        add_run_option(options);
        options.add_options()("generations", po::value<int>()->value_name("N"),
                              "new total number of generations (default: the run's own)");
        add_mpi_options(options);
    };
    entry.run = [](const po::variables_map &values) {
        const std::string file = values["run"].as<std::string>();
        std::optional<int> generations;
        if (values.count("generations") != 0U) {
            generations = values["generations"].as<int>();
        }
        run_search_step(values, file, [&](mpi_worker_pool *ranks) { resume_search(file, generations, ranks); });
    };
    return entry;
}

command make_status_command()
{
    command entry;
    entry.name = "status";
    entry.summary = "Show a search's progress: generation, evaluations, cache hits, failures and hypervolume.";
    entry.positional = "run";
    entry.add_options = add_run_option;
    entry.run = print_status;
    return entry;
}

} // namespace crimp::cli
