#pragma once

#include <crimp/engine/dataset.hpp>
#include <crimp/objectives/confidence_interval.hpp>
#include <crimp/objectives/corruption_error.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crimp::objectives
{

struct robustness_options {
    // A model written by `crimp train` or a packed model written by `crimp compress`.
    std::filesystem::path model_file;
    // The uncompressed model that normalises CE and mCE; without it only the unnormalised errors are given.
    std::filesystem::path baseline_file;
    std::filesystem::path data_dir = "data";
    split_kind split = split_kind::test;
    // Indices into crimp::corruption::corruption_list().
    std::vector<int> corruptions;
    // Images sampled per (corruption, severity), class-stratified; 0 evaluates every image.
    std::size_t images_per_cell = 0;
    std::uint64_t sample_seed = 0;
    std::uint64_t corruption_seed = 0;
    // HDF5 file that caches the corrupted sets of the split; it is created on first use.
    std::filesystem::path cache_file;
    std::filesystem::path frost_dir;
    rounding_mode rounding = rounding_mode::none;
    int bootstrap_resamples = 1000;
    bool calibration = false;
    bool latency = false;
    int batch_size = 256;
    int threads = 0;
    std::string device = "auto";
};

// Top-1 error of the model (and baseline) on the sampled images of one (corruption, severity).
struct cell_error {
    std::string corruption;
    int severity = 0;
    std::size_t images = 0;
    double error = 0.0;
    double baseline_error = 0.0;
};

struct robustness_report {
    std::string architecture;
    std::string dataset;
    std::string split;
    std::size_t clean_images = 0;
    double accuracy = 0.0;
    double baseline_accuracy = 0.0;
    std::vector<cell_error> cells;
    // Unnormalised mean error over the benchmark corruptions present, in %, needing no baseline.
    double mean_corruption_error = 0.0;
    std::optional<robustness_scores> scores;
    std::optional<interval> mce_interval;
    std::optional<double> expected_calibration_error;
    std::optional<double> latency_ms_batch1;
    std::optional<double> latency_ms_batch128;
};

// Evaluates a model written by `crimp train` on the clean split and on the corrupted copies of the
// sampled images, read from (or written once to) the corruption cache.
robustness_report evaluate_robustness(const robustness_options &options);

// The cache file used when none is given: $CRIMP_CACHE, else results/cache, then
// <dataset>-<split>[-<validation images>-<split seed>]-seed<corruption seed>.h5.
std::filesystem::path default_cache_file(const std::string &dataset, split_kind split, std::size_t validation_images,
                                         std::uint64_t split_seed, std::uint64_t corruption_seed);

} // namespace crimp::objectives
