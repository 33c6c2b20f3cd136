#pragma once

#include <torch/types.h>

#include <cstdint>

namespace crimp::compression
{

// Symmetric weight quantization uses the restricted signed range [−q, q] with q = 2^(bits−1) − 1, so
// that zero is exact and the grid is symmetric: 3 levels at 2 bits, 255 at 8 bits (TensorFlow Lite's
// int8 weight scheme). Codes are stored offset by q, in `bits` bits.
std::int64_t largest_code(int bits);

// Per-output-channel step sizes max|w| / q. A channel whose step would be zero, subnormal or not
// finite (all-zero or tiny weights) gets step 1, so its weights quantize to exact zeros.
torch::Tensor channel_scales(const torch::Tensor &weight, int bits);

// One step size for the whole tensor, with the same safeguard.
float tensor_scale(const torch::Tensor &values, int bits);

// round(w / scale) clamped to [−q, q], as int64, with one scale per output channel (or a single one).
torch::Tensor quantize(const torch::Tensor &weight, const torch::Tensor &scales, int bits);

// codes · scale in float32: the one place where integer codes become weights, shared by compression,
// the packed-file reader and fake quantization so that all three give identical floats.
torch::Tensor dequantize(const torch::Tensor &codes, const torch::Tensor &scales);

// Per-channel fake quantization for training. The forward pass computes dequantize(quantize(w)), and
// the backward pass passes gradients through unchanged (the straight-through estimator).
torch::Tensor fake_quantize_per_channel(const torch::Tensor &weight, int bits);

// The same with one scale for the whole tensor, for codebooks of clustered layers.
torch::Tensor fake_quantize_per_tensor(const torch::Tensor &values, int bits);

// Asymmetric 8-bit quantization of activations: x ↦ (clamp(round(x / scale) + zero_point, 0, 255) −
// zero_point) · scale, with a range that always contains zero so that zero stays exact.
struct activation_quantizer {
    float scale = 0.0F;
    std::int32_t zero_point = 0;

    bool enabled() const { return scale > 0.0F; }
};

// The quantizer of a calibrated range [low, high], widened to contain zero.
activation_quantizer make_activation_quantizer(float low, float high);

torch::Tensor quantize_activation(const torch::Tensor &input, const activation_quantizer &quantizer);

} // namespace crimp::compression
