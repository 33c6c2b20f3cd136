#pragma once

#include <crimp/engine/dataset.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crimp
{

// One epoch of a training run. Validation fields are zero when the run held out no validation images.
struct epoch_record {
    int epoch = 0;
    double learning_rate = 0.0;
    double train_loss = 0.0;
    double train_accuracy = 0.0;
    double validation_loss = 0.0;
    double validation_accuracy = 0.0;
    double seconds = 0.0;
    double images_per_second = 0.0;
};

// The split of the training file: validation_images held out with stratified_split(seed), then
// train_images taken from the rest (all of it when train_images equals the rest). Later stages rebuild
// the same split from this record without extra flags.
struct split_record {
    std::uint64_t seed = 0;
    std::size_t validation_images = 0;
    std::size_t train_images = 0;
};

struct training_record {
    std::string optimizer;
    double learning_rate = 0.0;
    double momentum = 0.0;
    double weight_decay = 0.0;
    int batch_size = 0;
    int epochs = 0;
    int patience = 0;
    std::uint64_t seed = 0;
    // The epoch whose weights were kept (highest validation accuracy, else the last epoch).
    int best_epoch = 0;
    double seconds = 0.0;
    std::vector<epoch_record> history;
};

// Everything stored beside a model's weights.
struct model_metadata {
    std::string architecture;
    dataset_kind dataset = dataset_kind::cifar10;
    int classes = 0;
    normalisation statistics;
    split_record split;
    training_record training;
};

// Serialises the metadata as a JSON object tagged "format": "crimp-model" with a format version.
std::string metadata_to_json(const model_metadata &metadata);

// Parses metadata_to_json's output. Raises input_error naming `source` for another format, a newer
// version or a missing key.
model_metadata metadata_from_json(const std::string &text, const std::string &source);

} // namespace crimp
