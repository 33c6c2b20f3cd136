#pragma once

#include <torch/types.h>

#include <string>

namespace crimp
{

// Resolves "cpu", "cuda" or "auto" (CUDA when this LibTorch build has it and a GPU is visible, else CPU).
// Raises usage_error for other names and for "cuda" without CUDA support.
torch::Device resolve_device(const std::string &name);

// Sets LibTorch's intra-op thread count; 0 means one thread per hardware core.
int set_torch_threads(int threads);

} // namespace crimp
