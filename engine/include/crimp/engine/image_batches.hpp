#pragma once

#include <crimp/engine/dataset.hpp>
#include <crimp/engine/rng.hpp>

#include <torch/types.h>

namespace crimp
{

// The images as a uint8 tensor (N, 3, 32, 32); the data is copied.
torch::Tensor images_to_tensor(const image_set &images);

// The labels as an int64 tensor (N).
torch::Tensor labels_to_tensor(const image_set &images);

// Scales uint8 images to [0, 1] and standardises each channel: (x / 255 − mean) / std, as float32.
torch::Tensor normalise(const torch::Tensor &images, const normalisation &statistics);

// Training augmentation of a uint8 batch (N, 3, 32, 32): a random 32×32 crop of the image zero-padded
// by 4 pixels on each side, then a horizontal flip with probability 1/2, both drawn from `generator`.
torch::Tensor augment(const torch::Tensor &images, splitmix64 &generator);

} // namespace crimp
