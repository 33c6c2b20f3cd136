#pragma once

#include <crimp/corruption/corruption.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace crimp::corruption
{

// Writes a PNG grid that shows one image under the given corruptions: one row per corruption with
// the clean image and severities 1 to 5, each enlarged 4× with nearest-neighbour scaling and labelled.
void write_preview(const std::filesystem::path &file, const rgb_image &image, std::uint64_t image_index,
                   const std::vector<int> &corruptions, std::uint64_t seed, const corruption_resources &resources);

} // namespace crimp::corruption
