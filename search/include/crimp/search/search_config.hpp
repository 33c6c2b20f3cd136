#pragma once

#include <crimp/compression/genome.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp::search
{

// Everything that defines a search. It is stored in the run file, so that `crimp resume` continues
// with exactly the same settings.
struct search_config {
    std::string architecture = "resnet20";
    std::string dataset = "cifar10";
    std::filesystem::path data_dir;
    // Trained baseline; trained with baseline_epochs and written here when the file is absent.
    std::filesystem::path baseline;
    int baseline_epochs = 30;
    int population = 8;
    int generations = 3;
    std::uint64_t seed = 0;
    // Cores shared by all workers: workers × LibTorch threads per worker never exceed it.
    int threads = 0;
    int workers = 1;
    // Clean validation images scored per genome (a class-stratified subset of the baseline's validation
    // split); 0 uses all of them.
    std::size_t validation_images = 0;
    // Corrupted images per (corruption, severity), class-stratified from the scored validation images.
    std::size_t corrupt_images = 100;
    // Corruptions of the mCE: "benchmark" (the 15 of CIFAR-10-C) or a comma-separated list.
    std::string corruptions = "benchmark";
    std::uint64_t corruption_seed = 0;
    // Gene bounds.
    double sparsity_max = 0.9;
    int bits_min = 2;
    // 2 to 8, or 32 to let the search keep float weights.
    int bits_max = 32;
    // 0 turns clustering off; otherwise a power of two up to 256.
    int clusters_max = 256;
    std::vector<compression::route_kind> routes = {compression::route_kind::ptq, compression::route_kind::finetune};
    int finetune_epochs_max = 1;
    // Training images used for fine-tuning and calibration (class-stratified); 0 uses all of them.
    std::size_t finetune_images = 0;
    // Feasibility limits: a genome below min_accuracy or above max_mce is penalised (see docs/search.md).
    double min_accuracy = 0.0;
    double max_mce = 0.0; // 0: no limit
    // For scaling studies of the evaluators only: when positive, each genome evaluation sleeps this many
    // milliseconds and returns objectives from a closed-form stand-in instead of compressing and scoring
    // (see docs/distributed.md). Such a run has no models.
    int simulate_eval_ms = 0;
};

// Raises usage_error naming the first invalid value and the fix.
void validate(const search_config &config);

// Parses "ptq,finetune"; raises usage_error for an unknown or repeated name.
std::vector<compression::route_kind> parse_routes(const std::string &text);
std::string routes_to_string(const std::vector<compression::route_kind> &routes);

// JSON text of the configuration, as stored in the run file, and back.
std::string config_to_json(const search_config &config);
search_config config_from_json(const std::string &text, const std::string &source);

} // namespace crimp::search
