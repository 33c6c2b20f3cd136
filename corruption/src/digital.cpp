#include "corruptions.hpp"
#include "hsv.hpp"
#include "jpeg_codec.hpp"
#include "pillow_resize.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace crimp::corruption::detail
{

namespace
{

constexpr std::size_t pixel_count = image_side * image_side;

double clip_unit(double value)
{
    return std::min(std::max(value, 0.0), 1.0);
}

// np.uint8(np.clip(x, 0, 1) * 255): the cast truncates.
std::uint8_t to_byte(double value)
{
    return static_cast<std::uint8_t>(clip_unit(value) * 255.0);
}

// Runs every pixel through skimage's rgb2hsv, lets `adjust` change the HSV values, and converts back
// with hsv2rgb, all in float64 on x / 255.
template <typename Adjust>
void adjust_hsv(const rgb_image &image, rgb_image &output, Adjust adjust)
{
    for (std::size_t pixel = 0; pixel < pixel_count; ++pixel) {
        const std::size_t offset = pixel * image_channels;
        hsv_pixel hsv = rgb_to_hsv(image[offset] / 255.0, image[offset + 1] / 255.0, image[offset + 2] / 255.0);
        adjust(hsv);
        double red = 0.0;
        double green = 0.0;
        double blue = 0.0;
        hsv_to_rgb(hsv, red, green, blue);
        output[offset] = to_byte(red);
        output[offset + 1] = to_byte(green);
        output[offset + 2] = to_byte(blue);
    }
}

} // namespace

void brightness(const rgb_image &image, int severity, counter_rng &, const corruption_resources &, rgb_image &output)
{
    static constexpr std::array<double, severities> shifts = {0.05, 0.1, 0.15, 0.2, 0.3};
    const double shift = shifts[static_cast<std::size_t>(severity - 1)];
    adjust_hsv(image, output, [shift](hsv_pixel &hsv) { hsv.value = clip_unit(hsv.value + shift); });
}

void saturate(const rgb_image &image, int severity, counter_rng &, const corruption_resources &, rgb_image &output)
{
    // S ← clip(S · scale + offset, 0, 1)
    static constexpr std::array<std::array<double, 2>, severities> parameters = {
        {{0.3, 0.0}, {0.1, 0.0}, {1.5, 0.0}, {2.0, 0.1}, {2.5, 0.2}}};
    const auto &[scale, offset] = parameters[static_cast<std::size_t>(severity - 1)];
    adjust_hsv(image, output,
               [scale, offset](hsv_pixel &hsv) { hsv.saturation = clip_unit(hsv.saturation * scale + offset); });
}

void contrast(const rgb_image &image, int severity, counter_rng &, const corruption_resources &, rgb_image &output)
{
    static constexpr std::array<double, severities> factors = {0.75, 0.5, 0.4, 0.3, 0.15};
    const double factor = factors[static_cast<std::size_t>(severity - 1)];

    // np.mean(x, axis=(0, 1)) on an HWC array reduces over the pixels with the channel axis innermost,
    // which makes each channel's sum a plain running sum rather than numpy's pairwise summation.
    std::array<double, image_channels> means{};
    for (std::size_t pixel = 0; pixel < pixel_count; ++pixel) {
        for (std::size_t channel = 0; channel < image_channels; ++channel) {
            means[channel] += image[pixel * image_channels + channel] / 255.0;
        }
    }
    for (double &mean : means) {
        mean /= static_cast<double>(pixel_count);
    }

    for (std::size_t pixel = 0; pixel < pixel_count; ++pixel) {
        for (std::size_t channel = 0; channel < image_channels; ++channel) {
            const std::size_t index = pixel * image_channels + channel;
            const double value = image[index] / 255.0;
            output[index] = to_byte((value - means[channel]) * factor + means[channel]);
        }
    }
}

void pixelate(const rgb_image &image, int severity, counter_rng &, const corruption_resources &, rgb_image &output)
{
    // The reference shrinks to int(32 · c) pixels: 30, 28, 27, 24 and 20.
    static constexpr std::array<double, severities> scales = {0.95, 0.9, 0.85, 0.75, 0.65};
    const int size = static_cast<int>(image_side * scales[static_cast<std::size_t>(severity - 1)]);

    const byte_image clean{image_side, image_side, std::vector<std::uint8_t>(image.begin(), image.end())};
    const byte_image small = resize_box(clean, size, size);
    const byte_image restored = resize_box(small, image_side, image_side);
    std::copy(restored.rgb.begin(), restored.rgb.end(), output.begin());
}

void jpeg_compression(const rgb_image &image, int severity, counter_rng &, const corruption_resources &,
                      rgb_image &output)
{
    static constexpr std::array<int, severities> qualities = {80, 65, 58, 50, 40};
    const std::vector<std::uint8_t> jpeg =
        encode_jpeg(image.data(), image_side, image_side, qualities[static_cast<std::size_t>(severity - 1)]);
    const std::vector<std::uint8_t> decoded = decode_jpeg(jpeg, image_side, image_side);
    std::copy(decoded.begin(), decoded.end(), output.begin());
}

} // namespace crimp::corruption::detail
