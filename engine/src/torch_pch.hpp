#pragma once

// Precompiled header of the engine: the LibTorch headers that its translation units use, parsed once.
#include <torch/nn.h>
#include <torch/optim.h>
#include <torch/serialize.h>
