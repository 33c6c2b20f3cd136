#pragma once

#include <crimp/corruption/corruption.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp::corruption
{

// Version of the generator's output for a given seed. It is stored with every cached set and changes
// whenever a corruption's random stream or arithmetic changes, so that stale caches are detected.
inline constexpr int generator_version = 1;

// Corrupts every image at each of the given severities, in parallel over images with TBB. The result
// contains severities.size() × images.size() images, severity-major, each 32×32×3 (HWC). Image i is keyed
// as image index i of the random stream, whatever the thread count.
std::vector<std::uint8_t> corrupt_images(const std::vector<rgb_image> &images, int corruption,
                                         const std::vector<int> &severities, std::uint64_t seed,
                                         const corruption_resources &resources);

// Parses a comma-separated list of corruption names; "all" or an empty list means all 19 and
// "benchmark" the 15 that make up the mCE.
std::vector<int> parse_corruption_list(const std::string &text);

// Parses a comma-separated list of severities from 1 to 5; an empty list means all five.
std::vector<int> parse_severity_list(const std::string &text);

// Whether any of the corruptions needs the frost textures.
bool needs_frost_textures(const std::vector<int> &corruptions);

} // namespace crimp::corruption
