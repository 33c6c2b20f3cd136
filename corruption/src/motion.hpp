#pragma once

// ImageMagick 6 motion blur (MagickMotionBlurImage, Q16), as CIFAR-10-C's motion_blur and snow use it.

#include <cstdint>

namespace crimp::corruption::detail
{

// Blurs an 8-bit image of height × width × channels (HWC) along `angle_degrees` with ImageMagick's
// one-sided Gaussian kernel of 2·ceil(radius)+1 taps, edge pixels repeated, Q16 quantisation.
void magick_motion_blur(const std::uint8_t *input, int height, int width, int channels, double radius, double sigma,
                        double angle_degrees, std::uint8_t *output);

} // namespace crimp::corruption::detail
