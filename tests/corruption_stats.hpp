#pragma once

#include <crimp/corruption/corruption.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crimp::testing
{

// The 1000 exact CIFAR-10 test images in HWC order; empty when the shared data is absent.
const std::vector<corruption::rgb_image> &exact_test_images();

// The frost textures of the shared data folder; null when the folder is absent.
corruption::corruption_resources shared_corruption_resources();

// Mean |corrupted − clean| over all values of all images, and the mean over images of
// PSNR = 10·log10(255² / MSE), as the reference statistics define them.
struct difference_statistics {
    double mean_abs_diff = 0.0;
    double mean_psnr_db = 0.0;
};

difference_statistics measure_difference(const std::vector<corruption::rgb_image> &clean,
                                         const std::vector<corruption::rgb_image> &corrupted);

// Checks one random corruption at all five severities against the reference statistics of the 1000
// exact test images (stochastic_stats.json): the mean absolute difference within the listed relative
// tolerance and the mean PSNR within the listed tolerance in dB. Skips when the shared data is absent.
void check_corruption_statistics(const std::string &corruption, std::uint64_t seed = 0);

} // namespace crimp::testing
