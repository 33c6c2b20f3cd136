#pragma once

#include <crimp/engine/checkpoint.hpp>

#include <filesystem>

namespace crimp::compression
{

// Loads a model written by `crimp train` (LibTorch archive) or by `crimp compress` (packed .crimp file),
// recognised by the file's first bytes. A packed model comes back with its compressed weights decoded
// and, for a full-integer model, its activation quantizers in place.
trained_model load_any_model(const std::filesystem::path &file);

} // namespace crimp::compression
