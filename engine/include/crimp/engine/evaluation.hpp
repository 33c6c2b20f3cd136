#pragma once

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/dataset.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace crimp
{

struct evaluation_options {
    std::filesystem::path model_file;
    // Reads the model file; other formats (such as packed compressed models) plug in here.
    std::function<trained_model(const std::filesystem::path &)> load = load_model;
    std::filesystem::path data_dir = "data";
    split_kind split = split_kind::test;
    int batch_size = 256;
    int threads = 0;
    std::string device = "auto";
};

struct evaluation_report {
    std::string architecture;
    std::string dataset;
    std::string split;
    double accuracy = 0.0;
    double loss = 0.0;
    std::vector<double> per_class_accuracy;
    std::size_t images = 0;
    double seconds = 0.0;
    double images_per_second = 0.0;
};

// Loads a model with options.load and measures its top-1 accuracy on the test split or on the
// validation split recorded in the model. The timing covers batched inference only, not data loading.
evaluation_report evaluate_model_file(const evaluation_options &options);

} // namespace crimp
