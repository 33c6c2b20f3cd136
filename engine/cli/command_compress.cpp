#include "command_line.hpp"

#include <crimp/compression/compressor.hpp>
#include <crimp/compression/packed_format.hpp>
#include <crimp/compression/size_metrics.hpp>
#include <crimp/engine/atomic_file.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/inference.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/training.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace crimp::cli
{

namespace
{

using namespace crimp::compression;

constexpr int default_finetune_epochs = 2;
constexpr const char *genome_options[] = {"sparsity", "bits", "clusters", "route", "full-integer"};

genome genome_from(const po::variables_map &values)
{
    const int epochs = values["finetune-epochs"].as<int>();
    if (values.count("technique") != 0U) {
        for (const char *name : genome_options) {
            if (values.count(name) != 0U) {
                throw usage_error(std::string("--technique sets the genome; leave out --") + name
                                  + " or drop --technique");
            }
        }
        return technique_genome(values["technique"].as<int>(), epochs);
    }
    genome result;
    if (values.count("sparsity") != 0U) {
        result.sparsity = values["sparsity"].as<double>();
    }
    if (values.count("bits") != 0U) {
        result.bits = values["bits"].as<int>();
    }
    if (values.count("clusters") != 0U) {
        result.clusters = values["clusters"].as<int>();
    }
    if (values.count("route") != 0U) {
        result.route = parse_route(values["route"].as<std::string>());
    }
    result.full_integer = values.count("full-integer") != 0U;
    result.finetune_epochs = result.route == route_kind::finetune ? epochs : 0;
    validate(result);
    return result;
}

pruning_scope parse_scope(const std::string &name)
{
    if (name == "layer") {
        return pruning_scope::layer;
    }
    if (name == "global") {
        return pruning_scope::global;
    }
    throw usage_error("invalid --prune-scope '" + name + "': expected layer or global");
}

compression_options options_from(const po::variables_map &values)
{
    compression_options options;
    options.scope = parse_scope(values["prune-scope"].as<std::string>());
    options.structured = values.count("structured") != 0U;
    options.compress_first_layer = values.count("compress-first") != 0U;
    options.compress_last_layer = values.count("compress-last") != 0U;
    options.compress_depthwise = values.count("compress-depthwise") != 0U;
    options.init = parse_centroid_init(values["cluster-init"].as<std::string>());
    options.seed = values["seed"].as<std::uint64_t>();
    options.calibration = parse_calibration_method(values["calibration"].as<std::string>());
    options.percentile = values["percentile"].as<double>();
    options.calibration_images = values["calibration-images"].as<std::int64_t>();
    options.learning_rate = values["lr"].as<double>();
    options.batch_size = values["batch-size"].as<int>();
    options.patience = values["patience"].as<int>();
    options.progress_bar = stderr_is_terminal() && values.count("quiet") == 0U;
    return options;
}

nlohmann::json report_json(const genome &settings, const compression_result &result, const size_report &sizes,
                           double accuracy, double baseline_accuracy, const po::variables_map &values)
{
    nlohmann::json document = {
        {"baseline", values["baseline"].as<std::string>()},
        {"out", values["out"].as<std::string>()},
        {"genome",
         {{"sparsity", settings.sparsity},
          {"bits", settings.bits},
          {"clusters", settings.clusters},
          {"route", to_string(settings.route)},
          {"full_integer", settings.full_integer},
          {"finetune_epochs", settings.finetune_epochs}}},
        {"validation_accuracy", accuracy},
        {"baseline_validation_accuracy", baseline_accuracy},
        {"packed_bytes", sizes.packed_bytes},
        {"baseline_packed_bytes", sizes.baseline_packed_bytes},
        {"compression_ratio", sizes.compression_ratio},
        {"deflate_bytes", sizes.deflate_bytes},
        {"baseline_deflate_bytes", sizes.baseline_deflate_bytes},
        {"deflate_ratio", sizes.deflate_ratio},
        {"finetuning_best_epoch", result.finetuning.best_epoch},
        {"seconds", result.seconds}};
    if (values.count("technique") != 0U) {
        document["technique"] = values["technique"].as<int>();
        document["technique_name"] = technique_name(values["technique"].as<int>());
    }
    return document;
}

void run_compress(const po::variables_map &values)
{
    // 1. Read the genome and options, then the baseline and the images it was trained and validated on.
    const genome settings = genome_from(values);
    const compression_options options = options_from(values);
    const torch::Device device = resolve_device(values["device"].as<std::string>());
    set_torch_threads(values["threads"].as<int>());
    const auto baseline = load_model(values["baseline"].as<std::string>());
    const auto &metadata = baseline.metadata;
    const auto data_dir = resolve_data_dir(values["data-dir"].as<std::string>());

    fit_data data;
    data.statistics = metadata.statistics;
    data.classes = metadata.classes;
    const auto validation = load_split_images(metadata.dataset, data_dir, metadata.split, split_kind::validation);
    data.validation_images = images_to_tensor(validation);
    data.validation_labels = labels_to_tensor(validation);
    if ((settings.route == route_kind::finetune && settings.finetune_epochs > 0) || settings.full_integer) {
        const auto train = load_split_images(metadata.dataset, data_dir, metadata.split, split_kind::train);
        data.train_images = images_to_tensor(train);
        data.train_labels = labels_to_tensor(train);
    }
    spdlog::info("compressing {} ({}) with {}", metadata.architecture, values["baseline"].as<std::string>(),
                 describe(settings));

    // 2. Compress, measure and write.
    const auto result = compress_model(baseline, settings, options, data, device);
    auto &model = *result.compressed.model;
    const double accuracy = predict(model, data.validation_images, data.validation_labels, metadata.statistics, 256,
                                    torch::kCPU, metadata.classes)
                                .accuracy();
    const double baseline_accuracy = predict(*baseline.model, data.validation_images, data.validation_labels,
                                             metadata.statistics, 256, torch::kCPU, metadata.classes)
                                         .accuracy();
    const auto packed = pack(result.compressed);
    const auto sizes = measure_sizes(result.compressed, packed.size(), measure_baseline_sizes(uncompressed(baseline)));
    const std::string out = values["out"].as<std::string>();
    write_file_atomically(out, packed);

    spdlog::info("validation accuracy {:.2f}% (baseline {:.2f}%) over {} images", 100.0 * accuracy,
                 100.0 * baseline_accuracy, data.validation_images.size(0));
    spdlog::info("wrote {}: {} bytes, compression ratio {:.2f} (baseline {} bytes), deflate ratio {:.2f}", out,
                 sizes.packed_bytes, sizes.compression_ratio, sizes.baseline_packed_bytes, sizes.deflate_ratio);
    spdlog::info("compression took {}", format_duration(result.seconds));
    if (values.count("json") != 0U) {
        write_output_file(values["json"].as<std::string>(),
                          report_json(settings, result, sizes, accuracy, baseline_accuracy, values).dump(2));
    }
}

} // namespace

command make_compress_command()
{
    command entry;
    entry.name = "compress";
    entry.summary = "Compress a trained model by pruning, clustering and quantization, and write it as a packed "
                    ".crimp file.";
    entry.add_options = [](po::options_description &options) {
        const compression_options defaults;
        options.add_options()
            ("baseline", po::value<std::string>()->required()->value_name("FILE.pt"), "model written by `crimp train`")
            ("out", po::value<std::string>()->required()->value_name("FILE.crimp"), "packed model to write")
            ("data-dir", po::value<std::string>()->default_value("")->value_name("DIR"),
             "folder with cifar-10-batches-bin/ or cifar-100-binary/ (default: $CRIMP_DATA, else data/)")
            ("technique", po::value<int>()->value_name("N"),
             "one of the 16 techniques of arXiv 2512.24971 (see docs/techniques.md) instead of a genome")
            ("sparsity", po::value<double>()->value_name("S"), "fraction of weights to prune, 0 to 0.99 (default 0)")
            ("bits", po::value<int>()->value_name("B"), "weight bits, 2 to 8, or 32 for float (default 32)")
            ("clusters", po::value<int>()->value_name("K"), "shared values per layer, 2 to 256, or 0 for none (default 0)")
            ("route", po::value<std::string>()->value_name("NAME"),
             "ptq (one shot, no training) or finetune (keeps masks and clusters, simulates quantization); default ptq")
            ("full-integer", "also quantize activations to 8 bits, calibrated on training images")
            ("finetune-epochs", po::value<int>()->default_value(default_finetune_epochs)->value_name("E"),
             "fine-tuning epochs of the finetune route and of techniques 3 to 16")
            ("prune-scope", po::value<std::string>()->default_value("layer"),
             "layer (each layer reaches the sparsity) or global (one threshold over all layers)")
            ("structured", "prune whole output filters by L1 norm instead of single weights")
            ("compress-first", "also prune and cluster the first convolution")
            ("compress-last", "also prune and cluster the classifier layer")
            ("compress-depthwise", "also prune and cluster depthwise convolutions")
            ("cluster-init", po::value<std::string>()->default_value("kmeans++"), "kmeans++ or linear")
            ("seed", po::value<std::uint64_t>()->default_value(0), "seed of k-means++ and of fine-tuning")
            ("calibration", po::value<std::string>()->default_value("minmax"),
             "activation ranges of --full-integer: minmax or percentile")
            ("percentile", po::value<double>()->default_value(defaults.percentile), "upper percentile of --calibration percentile")
            ("calibration-images", po::value<std::int64_t>()->default_value(defaults.calibration_images)->value_name("N"),
             "training images used to calibrate activations")
            ("lr", po::value<double>()->default_value(defaults.learning_rate), "peak fine-tuning learning rate (SGD)")
            ("batch-size", po::value<int>()->default_value(defaults.batch_size)->value_name("N"), "fine-tuning batch size")
            ("patience", po::value<int>()->default_value(defaults.patience)->value_name("E"),
             "stop fine-tuning after this many epochs without a better validation accuracy (0: never)")
            ("threads", po::value<int>()->default_value(0)->value_name("N"), "LibTorch threads (0: one per core)")
            ("device", po::value<std::string>()->default_value("auto"), "cpu, cuda or auto")
            ("json", po::value<std::string>()->value_name("FILE"), "also write the results as JSON ('-': stdout)");
    };
    entry.run = run_compress;
    return entry;
}

} // namespace crimp::cli
