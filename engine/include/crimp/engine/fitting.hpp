#pragma once

#include <crimp/engine/classifier.hpp>
#include <crimp/engine/dataset.hpp>
#include <crimp/engine/model_metadata.hpp>

#include <torch/types.h>

#include <functional>
#include <vector>

namespace crimp
{

// Images and labels of a training run, already in memory as uint8 (N, 3, 32, 32) and int64 (N) tensors.
// Empty validation tensors mean that nothing is held out.
struct fit_data {
    torch::Tensor train_images;
    torch::Tensor train_labels;
    torch::Tensor validation_images;
    torch::Tensor validation_labels;
    normalisation statistics;
    int classes = 0;
};

// Extra duties of a fitting run beyond the model's own parameters.
struct fit_hooks {
    // The tensors the optimizer updates; empty means every parameter of the model.
    std::vector<torch::Tensor> trainable;
    // Tensors outside the model that belong to its state, kept and restored with the best epoch.
    std::vector<torch::Tensor> extra_state;
    // Runs after every optimizer step, e.g. to zero pruned weights again.
    std::function<void()> after_step;
    // Log each epoch at info level; false logs it at debug level, for runs nested in a longer job.
    bool log_epochs = true;
};

// Trains the model on augmented batches with a per-iteration cosine schedule from
// record.learning_rate down to zero, validates after each epoch, stops after `record.patience` epochs
// without progress (0: never) and leaves the model with its best epoch's weights. Reads the settings
// from `record` and fills its best epoch, history and duration. Returns the best validation accuracy,
// or the training accuracy when nothing is held out. Raises training_diverged when the loss stops
// being finite.
double fit_classifier(ClassifierImpl &model, const fit_data &data, training_record &record, const torch::Device &device,
                      const fit_hooks &hooks = {}, bool show_progress = false);

// The training loss became NaN or infinite, usually because the learning rate is too high.
class training_diverged : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace crimp
