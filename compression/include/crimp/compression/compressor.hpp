#pragma once

#include <crimp/compression/clustering.hpp>
#include <crimp/compression/compressed_model.hpp>
#include <crimp/compression/genome.hpp>
#include <crimp/compression/pruning.hpp>
#include <crimp/engine/fitting.hpp>

#include <cstdint>

namespace crimp::compression
{

// Calibration method of the activation ranges of a full-integer model: the smallest and largest value
// seen, or a low and a high percentile of each batch averaged over the batches, which ignores rare outliers.
enum class calibration_method { minmax, percentile };

// Parses "minmax" or "percentile"; raises usage_error naming the value otherwise.
calibration_method parse_calibration_method(const std::string &name);

// Settings of compression that the genome leaves open.
struct compression_options {
    pruning_scope scope = pruning_scope::layer;
    bool structured = false;
    // Pruning and clustering skip these layers unless asked, as TensorFlow Model Optimization's
    // guidance suggests: the stem and the classifier are small and sensitive, and depthwise filters
    // have too few weights to share. Quantization always covers every layer.
    bool compress_first_layer = false;
    bool compress_last_layer = false;
    bool compress_depthwise = false;
    centroid_init init = centroid_init::kmeans_plus_plus;
    std::uint64_t seed = 0;
    calibration_method calibration = calibration_method::minmax;
    // Upper percentile of the percentile method; the lower one is 100 minus it.
    double percentile = 99.99;
    std::int64_t calibration_images = 512;
    // Fine-tuning: SGD with Nesterov momentum and a cosine schedule from this learning rate.
    double learning_rate = 0.01;
    double momentum = 0.9;
    double weight_decay = 5e-4;
    int batch_size = 128;
    // Stop fine-tuning after this many epochs without a better validation accuracy; 0 never stops.
    int patience = 2;
    bool progress_bar = false;
    // Log each fine-tuning epoch at info level; false logs it at debug level.
    bool log_epochs = true;
};

struct compression_result {
    compressed_model compressed;
    // The fine-tuning run; its history is empty for the ptq route.
    training_record finetuning;
    double seconds = 0.0;
};

// Compresses a copy of the baseline as the genome requests: prune, cluster, fine-tune (finetune route) while
// keeping masks and assignments and simulating weight quantization, encode the weights, then calibrate
// 8-bit activations for a full-integer model. `data` supplies the training images (fine-tuning and
// calibration) and the validation images (early stopping); it may be empty for the ptq route without
// full-integer quantization. Fine-tuning runs on `device`; everything else, and the returned model, on the
// CPU. Raises usage_error for an invalid genome or options.
compression_result compress_model(const trained_model &baseline, const genome &settings,
                                  const compression_options &options, const fit_data &data,
                                  const torch::Device &device);

} // namespace crimp::compression
