#include "command_line.hpp"

#include <crimp/engine/dataset.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/training.hpp>

#include <nlohmann/json.hpp>

namespace crimp::cli
{

namespace
{

nlohmann::json summary_to_json(const training_summary &summary)
{
    auto document = nlohmann::json::parse(metadata_to_json(summary.metadata));
    document["best_accuracy"] = summary.best_accuracy;
    return document;
}

} // namespace

command make_train_command()
{
    command entry;
    entry.name = "train";
    entry.summary = "Train a zoo model on CIFAR-10 or CIFAR-100 and save it with its metadata.";
    entry.add_options = [](po::options_description &options) {
        const training_options defaults;
        options.add_options()
            ("model", po::value<std::string>()->default_value(defaults.architecture)->value_name("NAME"),
             "architecture from `crimp models`")
            ("dataset", po::value<std::string>()->default_value("cifar10")->value_name("NAME"), "cifar10 or cifar100")
            ("data-dir", po::value<std::string>()->default_value("")->value_name("DIR"),
             "folder with cifar-10-batches-bin/ or cifar-100-binary/ (default: $CRIMP_DATA, else data/)")
            ("out", po::value<std::string>()->required()->value_name("FILE.pt"), "model file to write")
            ("epochs", po::value<int>()->default_value(defaults.epochs)->value_name("E"), "maximum number of epochs")
            ("batch-size", po::value<int>()->default_value(defaults.batch_size)->value_name("N"), "images per batch")
            ("optimizer", po::value<std::string>()->default_value(defaults.optimizer)->value_name("NAME"),
             "sgd (momentum, Nesterov) or adam")
            ("lr", po::value<double>()->default_value(defaults.learning_rate, "0.1 for sgd, 0.001 for adam"),
             "peak learning rate of the cosine schedule")
            ("momentum", po::value<double>()->default_value(defaults.momentum), "SGD momentum")
            ("weight-decay", po::value<double>()->default_value(defaults.weight_decay), "L2 weight decay")
            ("patience", po::value<int>()->default_value(defaults.patience)->value_name("E"),
             "stop after this many epochs without a better validation accuracy (0: never)")
            ("validation-images", po::value<std::size_t>()->default_value(defaults.validation_images)->value_name("N"),
             "training images held out for validation, stratified by class")
            ("train-images", po::value<std::size_t>()->default_value(0)->value_name("N"),
             "train on a class-stratified subset of N images (0: all that remain)")
            ("seed", po::value<std::uint64_t>()->default_value(0), "seed of initialisation, data order and augmentation")
            ("split-seed", po::value<std::uint64_t>()->default_value(0), "seed of the validation split")
            ("threads", po::value<int>()->default_value(0)->value_name("N"), "LibTorch threads (0: one per core)")
            ("device", po::value<std::string>()->default_value("auto"), "cpu, cuda or auto")
            ("json", po::value<std::string>()->value_name("FILE"), "also write the training summary as JSON ('-': stdout)");
    };
    entry.run = [](const po::variables_map &values) {
        training_options options;
        options.architecture = values["model"].as<std::string>();
        options.dataset = parse_dataset(values["dataset"].as<std::string>());
        options.data_dir = resolve_data_dir(values["data-dir"].as<std::string>());
        options.output = values["out"].as<std::string>();
        options.epochs = values["epochs"].as<int>();
        options.batch_size = values["batch-size"].as<int>();
        options.optimizer = values["optimizer"].as<std::string>();
        options.learning_rate = values["lr"].as<double>();
        options.momentum = values["momentum"].as<double>();
        options.weight_decay = values["weight-decay"].as<double>();
        options.patience = values["patience"].as<int>();
        options.validation_images = values["validation-images"].as<std::size_t>();
        options.train_images = values["train-images"].as<std::size_t>();
        options.seed = values["seed"].as<std::uint64_t>();
        options.split_seed = values["split-seed"].as<std::uint64_t>();
        options.threads = values["threads"].as<int>();
        options.device = values["device"].as<std::string>();
        options.progress_bar = stderr_is_terminal() && values.count("quiet") == 0U;

        const auto summary = train_classifier(options);
        if (values.count("json") != 0U) {
            write_output_file(values["json"].as<std::string>(), summary_to_json(summary).dump(2));
        }
    };
    return entry;
}

} // namespace crimp::cli
