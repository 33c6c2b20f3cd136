#pragma once

// Image filters that several corruptions share, reproducing the numeric recipes of the reference
// libraries (scipy.ndimage, skimage) that CIFAR-10-C was made with.

#include <crimp/corruption/image.hpp>

#include <cstdint>
#include <vector>

namespace crimp::corruption::detail
{

// Extension of the image past its edges, named as in scipy.ndimage.
enum class border_mode {
    nearest, // aaa|abcd|ddd (edge replicate)
    reflect, // cba|abcd|dcb (half-sample symmetric)
};

// A float64 image of height × width × channels in HWC order.
struct float_image {
    int height = 0;
    int width = 0;
    int channels = 0;
    std::vector<double> values;
};

// skimage.filters.gaussian(image / 255, sigma, multichannel=True): the image scaled to [0, 1] in float64
// and blurred with gaussian_filter, mode nearest, truncate 4.
float_image skimage_gaussian(const rgb_image &image, double sigma);

// scipy.ndimage.gaussian_filter with sigma (sigma, sigma, 0): a separable Gaussian over rows and columns
// of every channel, kernel radius int(truncate·sigma + 0.5), weights exp(−k²/2σ²) normalised to sum 1,
// computed in float64. skimage.filters.gaussian(multichannel=True) is this with mode nearest, truncate 4.
float_image gaussian_filter(const float_image &image, double sigma, border_mode mode, double truncate);

// clipped_zoom of the reference: crop the centre ceil(side/z) square (top = (side − crop) // 2), zoom it
// with scipy.ndimage.zoom(order=1) to round(crop·z) (round half to even) with bilinear interpolation on
// aligned corners, then keep `side` rows and columns starting at (out − side) // 2. Computed in float32,
// as the reference passes float32 arrays. `image` is HWC with `channels` channels, side × side.
std::vector<float> clipped_zoom(const std::vector<float> &image, int side, int channels, double zoom);

} // namespace crimp::corruption::detail
