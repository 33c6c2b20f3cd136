#pragma once

// Small models and synthetic data for the compression tests.

#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/fitting.hpp>
#include <crimp/search/scoring_set.hpp>

namespace crimp::testing
{

// A ResNet-20 for CIFAR-10 with seeded random weights and batch norm statistics moved away from
// their initial values, as a trained model would have.
trained_model random_resnet20(std::uint64_t seed);

// Random uint8 images with random labels: `train` training and `validation` validation images.
fit_data random_images(std::int64_t train, std::int64_t validation, std::uint64_t seed);

// A scoring set of 4 random images, with one corruption ("gaussian_noise") of random images.
search::scoring_set random_scoring_set();

} // namespace crimp::testing
