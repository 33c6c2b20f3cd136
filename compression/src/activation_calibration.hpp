#pragma once

#include <crimp/compression/compressor.hpp>

namespace crimp::compression
{

// Runs calibration images through the model in evaluation mode, records the range of each
// compressible layer's input, and stores the resulting 8-bit quantizers in the encoded layers.
void calibrate_activations(compressed_model &compressed, const torch::Tensor &images,
                           const compression_options &options, const torch::Device &device);

} // namespace crimp::compression
