#pragma once

#include <crimp/engine/classifier.hpp>
#include <crimp/engine/model_metadata.hpp>

#include <filesystem>

namespace crimp
{

struct trained_model {
    classifier_ptr model;
    model_metadata metadata;
};

// Writes the weights, buffers and metadata (as JSON) into one LibTorch archive. The file is written
// beside the target and renamed over it, so an interrupted save never leaves a truncated model.
void save_model(const std::filesystem::path &file, ClassifierImpl &model, const model_metadata &metadata);

// Rebuilds the zoo model named in a file written by save_model and loads its weights onto the CPU.
trained_model load_model(const std::filesystem::path &file);

} // namespace crimp
