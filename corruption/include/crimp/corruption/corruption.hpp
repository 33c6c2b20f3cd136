#pragma once

#include <crimp/corruption/image.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crimp::corruption
{

inline constexpr int severities = 5;

struct corruption_info {
    std::string_view name;
    // One of the 15 corruptions whose errors make up the mCE; the other 4 are the extra ones.
    bool benchmark;
    // Output depends only on the image and severity, never on random draws.
    bool deterministic;
};

// The 19 corruptions: the 15 benchmark ones in the usual CIFAR-10-C order, then the 4 extra ones.
const std::vector<corruption_info> &corruption_list();

// Index into corruption_list(); raises crimp::usage_error listing the valid names for an unknown name.
int corruption_index(std::string_view name);

// The five frost photographs of CIFAR-10-C (frost1.png … frost5.jpg), loaded in RGB (HWC) and resized
// by 0.2 with bilinear interpolation as the reference does.
struct frost_texture {
    int height = 0;
    int width = 0;
    std::vector<std::uint8_t> rgb;
};
using frost_textures = std::vector<frost_texture>;

// Loads frost1.png, frost2.png, frost3.png, frost4.jpg and frost5.jpg from a folder; raises
// crimp::input_error naming the first missing or unreadable file.
std::shared_ptr<const frost_textures> load_frost_textures(const std::filesystem::path &folder);

// Inputs that a corruption needs besides the image; only frost needs one, its textures.
struct corruption_resources {
    std::shared_ptr<const frost_textures> frost;
};

// Corrupts one image at a severity from 1 to 5. Random corruptions draw from the counter_rng stream
// keyed by (seed, corruption, severity, image_index).
rgb_image apply_corruption(int corruption, int severity, const rgb_image &image, std::uint64_t seed,
                           std::uint64_t image_index, const corruption_resources &resources);

} // namespace crimp::corruption
