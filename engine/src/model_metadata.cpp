#include <crimp/engine/model_metadata.hpp>

#include <crimp/engine/error.hpp>

#include <nlohmann/json.hpp>

namespace crimp
{

namespace
{

constexpr const char *format_name = "crimp-model";
constexpr int format_version = 1;

using nlohmann::json;

json metadata_to_json_document(const model_metadata &metadata)
{
    json history = json::array();
    for (const auto &epoch : metadata.training.history) {
        history.push_back({{"epoch", epoch.epoch},
                           {"learning_rate", epoch.learning_rate},
                           {"train_loss", epoch.train_loss},
                           {"train_accuracy", epoch.train_accuracy},
                           {"validation_loss", epoch.validation_loss},
                           {"validation_accuracy", epoch.validation_accuracy},
                           {"seconds", epoch.seconds},
                           {"images_per_second", epoch.images_per_second}});
    }
    const auto &training = metadata.training;
    return {{"format", format_name},
            {"version", format_version},
            {"architecture", metadata.architecture},
            {"dataset", to_string(metadata.dataset)},
            {"classes", metadata.classes},
            {"normalisation", {{"mean", metadata.statistics.mean}, {"std", metadata.statistics.std}}},
            {"split",
             {{"seed", metadata.split.seed},
              {"validation_images", metadata.split.validation_images},
              {"train_images", metadata.split.train_images}}},
            {"training",
             {{"optimizer", training.optimizer},
              {"learning_rate", training.learning_rate},
              {"momentum", training.momentum},
              {"weight_decay", training.weight_decay},
              {"batch_size", training.batch_size},
              {"epochs", training.epochs},
              {"patience", training.patience},
              {"seed", training.seed},
              {"best_epoch", training.best_epoch},
              {"seconds", training.seconds},
              {"history", history}}}};
}

model_metadata metadata_from_json_document(const json &document)
{
    model_metadata metadata;
    metadata.architecture = document.at("architecture").get<std::string>();
    metadata.dataset = parse_dataset(document.at("dataset").get<std::string>());
    metadata.classes = document.at("classes").get<int>();
    metadata.statistics.mean = document.at("normalisation").at("mean").get<std::array<float, 3>>();
    metadata.statistics.std = document.at("normalisation").at("std").get<std::array<float, 3>>();

    const auto &split = document.at("split");
    metadata.split.seed = split.at("seed").get<std::uint64_t>();
    metadata.split.validation_images = split.at("validation_images").get<std::size_t>();
    metadata.split.train_images = split.at("train_images").get<std::size_t>();

    const auto &training = document.at("training");
    auto &record = metadata.training;
    record.optimizer = training.at("optimizer").get<std::string>();
    record.learning_rate = training.at("learning_rate").get<double>();
    record.momentum = training.at("momentum").get<double>();
    record.weight_decay = training.at("weight_decay").get<double>();
    record.batch_size = training.at("batch_size").get<int>();
    record.epochs = training.at("epochs").get<int>();
    record.patience = training.at("patience").get<int>();
    record.seed = training.at("seed").get<std::uint64_t>();
    record.best_epoch = training.at("best_epoch").get<int>();
    record.seconds = training.at("seconds").get<double>();
    for (const auto &epoch : training.at("history")) {
        record.history.push_back({epoch.at("epoch").get<int>(), epoch.at("learning_rate").get<double>(),
                                  epoch.at("train_loss").get<double>(), epoch.at("train_accuracy").get<double>(),
                                  epoch.at("validation_loss").get<double>(),
                                  epoch.at("validation_accuracy").get<double>(), epoch.at("seconds").get<double>(),
                                  epoch.at("images_per_second").get<double>()});
    }
    return metadata;
}

} // namespace

std::string metadata_to_json(const model_metadata &metadata)
{
    return metadata_to_json_document(metadata).dump();
}

model_metadata metadata_from_json(const std::string &text, const std::string &source)
{
    try {
        const auto document = json::parse(text);
        if (document.value("format", "") != format_name || document.value("version", 0) > format_version) {
            throw input_error("invalid model metadata in '" + source + "': expected format " + format_name + " version "
                              + std::to_string(format_version) + " or lower");
        }
        return metadata_from_json_document(document);
    } catch (const json::exception &error) {
        throw input_error("invalid model metadata in '" + source + "': " + error.what());
    } catch (const usage_error &error) {
        throw input_error("invalid model metadata in '" + source + "': " + error.what());
    }
}

} // namespace crimp
