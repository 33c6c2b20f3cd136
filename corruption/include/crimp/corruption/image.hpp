#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace crimp::corruption
{

inline constexpr int image_side = 32;
inline constexpr int image_channels = 3;
inline constexpr std::size_t image_size = image_side * image_side * image_channels;

// One 32×32 RGB image in height × width × channel order (HWC), the layout of CIFAR-10-C's .npy files.
using rgb_image = std::array<std::uint8_t, image_size>;

// Converts between the channel-major (CHW) order of the CIFAR binary files and HWC.
rgb_image from_planar(const std::uint8_t *planar);
void to_planar(const rgb_image &image, std::uint8_t *planar);

} // namespace crimp::corruption
