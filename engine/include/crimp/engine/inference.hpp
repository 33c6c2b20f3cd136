#pragma once

#include <crimp/engine/classifier.hpp>
#include <crimp/engine/dataset.hpp>

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace crimp
{

// Counts of correct top-1 predictions, overall and per class, and the summed cross-entropy loss.
struct prediction_tally {
    std::int64_t correct = 0;
    std::int64_t total = 0;
    double loss_sum = 0.0;
    std::vector<std::int64_t> correct_per_class;
    std::vector<std::int64_t> total_per_class;

    double accuracy() const { return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total); }
    double mean_loss() const { return total == 0 ? 0.0 : loss_sum / static_cast<double>(total); }
};

// Top-1 predictions of a model, one entry per image.
struct image_predictions {
    std::vector<std::int64_t> labels;
    // Softmax probability of the predicted class.
    std::vector<float> confidences;
};

// Runs the model in evaluation mode without gradients over uint8 images (N, 3, 32, 32) in batches and
// returns each image's predicted class and its confidence.
image_predictions classify(ClassifierImpl &model, const torch::Tensor &images, const normalisation &statistics,
                           std::int64_t batch_size, const torch::Device &device);

// Runs the model in evaluation mode without gradients over uint8 images (N, 3, 32, 32) in batches and
// tallies its predictions against the labels (N). The model's training mode is restored afterwards.
prediction_tally predict(ClassifierImpl &model, const torch::Tensor &images, const torch::Tensor &labels,
                         const normalisation &statistics, std::int64_t batch_size, const torch::Device &device,
                         int classes);

} // namespace crimp
