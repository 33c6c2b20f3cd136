#pragma once

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/dataset.hpp>
#include <crimp/objectives/corruption_error.hpp>

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp::search
{

// The images every genome is scored on, kept in memory for the whole search: clean images, and for each
// corruption a class-stratified sample corrupted at the five severities.
struct scoring_set {
    torch::Tensor clean_images;
    torch::Tensor clean_labels;
    std::vector<std::string> corruption_names;
    // Per corruption: uint8 (5 · n, 3, 32, 32), severity-major, and the n labels repeated per severity.
    std::vector<torch::Tensor> corrupted_images;
    std::vector<torch::Tensor> corrupted_labels;
};

struct scoring_request {
    dataset_kind dataset = dataset_kind::cifar10;
    std::filesystem::path data_dir;
    split_record split;
    split_kind which = split_kind::validation;
    // Clean images kept (class-stratified); 0 keeps the whole split.
    std::size_t clean_images = 0;
    std::size_t corrupt_images = 100;
    std::vector<int> corruptions;
    std::uint64_t corruption_seed = 0;
    std::uint64_t sample_seed = 0;
};

// Loads the split, samples it and corrupts the samples in parallel. Raises input_error when the data or
// the frost textures (DATA_DIR/frost) are missing.
scoring_set build_scoring_set(const scoring_request &request);

// Errors of a model on the set.
objectives::error_table measure_errors(ClassifierImpl &model, const scoring_set &set, const normalisation &statistics);

} // namespace crimp::search
