#pragma once

#include <crimp/engine/dataset.hpp>
#include <crimp/engine/fitting.hpp>
#include <crimp/engine/model_metadata.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace crimp
{

struct training_options {
    std::string architecture = "resnet20";
    dataset_kind dataset = dataset_kind::cifar10;
    std::filesystem::path data_dir = "data";
    std::filesystem::path output;
    int epochs = 30;
    int batch_size = 128;
    // "sgd" (momentum, Nesterov) or "adam".
    std::string optimizer = "sgd";
    // Peak learning rate of the cosine schedule; a negative value picks 0.1 for SGD and 0.001 for Adam.
    double learning_rate = -1.0;
    double momentum = 0.9;
    double weight_decay = 5e-4;
    // Stop after this many epochs without a better validation accuracy; 0 disables early stopping.
    int patience = 10;
    std::size_t validation_images = 5000;
    // Train on a class-stratified subset of this many of the remaining images; 0 uses all of them.
    std::size_t train_images = 0;
    std::uint64_t seed = 0;
    std::uint64_t split_seed = 0;
    // LibTorch intra-op threads; 0 uses one per core.
    int threads = 0;
    // "cpu", "cuda" or "auto".
    std::string device = "auto";
    // Draw a redrawn progress bar (for terminals) instead of one log line per epoch.
    bool progress_bar = false;
};

struct training_summary {
    model_metadata metadata;
    // Validation accuracy of the kept epoch, or the training accuracy when no images were held out.
    double best_accuracy = 0.0;
};

// Trains a zoo model on the training split and writes it with its metadata to options.output.
// Raises usage_error for invalid options, input_error for unreadable data, and training_diverged when
// the loss stops being finite.
training_summary train_classifier(const training_options &options);

// Rebuilds the train and validation images that a model was trained with, from its split record.
image_set load_split_images(dataset_kind dataset, const std::filesystem::path &data_dir, const split_record &split,
                            split_kind which);

} // namespace crimp
