#include "pillow_resize.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace crimp::corruption::detail
{

namespace
{

constexpr int channels = 3;
// Pillow keeps two bits of headroom below 32 bits for 8-bit values: 32 − 8 − 2.
constexpr int precision_bits = 22;

// The input span and fixed-point weights of each output pixel along one axis.
struct axis_coefficients {
    std::vector<int> first;
    std::vector<int> count;
    std::vector<std::vector<int>> weights;
};

// Pillow's box filter: 1 on (−0.5, 0.5], else 0.
double box_filter(double x)
{
    return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
}

// Pillow's precompute_coeffs followed by normalize_coeffs_8bpc for the BOX filter (support 0.5).
axis_coefficients box_coefficients(int input_size, int output_size)
{
    const double scale = static_cast<double>(input_size) / output_size;
    const double filter_scale = scale < 1.0 ? 1.0 : scale;
    const double support = 0.5 * filter_scale;

    axis_coefficients coefficients;
    for (int out = 0; out < output_size; ++out) {
        const double center = (out + 0.5) * scale;
        const double inverse_scale = 1.0 / filter_scale;
        // Pillow rounds the window ends by adding 0.5 and truncating.
        int first = static_cast<int>(center - support + 0.5);
        if (first < 0) {
            first = 0;
        }
        int last = static_cast<int>(center + support + 0.5);
        if (last > input_size) {
            last = input_size;
        }
        const int count = last - first;

        std::vector<double> weights(static_cast<std::size_t>(count));
        double total = 0.0;
        for (int i = 0; i < count; ++i) {
            const double weight = box_filter((i + first - center + 0.5) * inverse_scale);
            weights[static_cast<std::size_t>(i)] = weight;
            total += weight;
        }

        std::vector<int> fixed_point(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            double weight = weights[static_cast<std::size_t>(i)];
            if (total != 0.0) {
                weight /= total;
            }
            const double scaled = weight * (1 << precision_bits);
            fixed_point[static_cast<std::size_t>(i)] = static_cast<int>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
        }
        coefficients.first.push_back(first);
        coefficients.count.push_back(count);
        coefficients.weights.push_back(std::move(fixed_point));
    }
    return coefficients;
}

// Rounds a fixed-point sum (which already includes the half-unit offset) to a byte, saturating.
std::uint8_t clip_to_byte(int sum)
{
    if (sum >= (1 << precision_bits << 8)) {
        return 255;
    }
    if (sum <= 0) {
        return 0;
    }
    return static_cast<std::uint8_t>(sum >> precision_bits);
}

byte_image resample_horizontal(const byte_image &image, int width)
{
    const axis_coefficients coefficients = box_coefficients(image.width, width);
    byte_image output{width, image.height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * image.height * channels)};
    for (int y = 0; y < image.height; ++y) {
        const std::uint8_t *row = image.rgb.data() + static_cast<std::size_t>(y) * image.width * channels;
        for (int x = 0; x < width; ++x) {
            const auto index = static_cast<std::size_t>(x);
            const std::vector<int> &weights = coefficients.weights[index];
            for (int channel = 0; channel < channels; ++channel) {
                int sum = 1 << (precision_bits - 1);
                for (int i = 0; i < coefficients.count[index]; ++i) {
                    sum += row[(coefficients.first[index] + i) * channels + channel] * weights[static_cast<std::size_t>(i)];
                }
                output.rgb[(static_cast<std::size_t>(y) * width + x) * channels + channel] = clip_to_byte(sum);
            }
        }
    }
    return output;
}

byte_image resample_vertical(const byte_image &image, int height)
{
    const axis_coefficients coefficients = box_coefficients(image.height, height);
    byte_image output{image.width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(image.width) * height * channels)};
    const std::size_t row_size = static_cast<std::size_t>(image.width) * channels;
    for (int y = 0; y < height; ++y) {
        const auto index = static_cast<std::size_t>(y);
        const std::vector<int> &weights = coefficients.weights[index];
        for (std::size_t column = 0; column < row_size; ++column) {
            int sum = 1 << (precision_bits - 1);
            for (int i = 0; i < coefficients.count[index]; ++i) {
                const std::size_t source = static_cast<std::size_t>(coefficients.first[index] + i) * row_size + column;
                sum += image.rgb[source] * weights[static_cast<std::size_t>(i)];
            }
            output.rgb[index * row_size + column] = clip_to_byte(sum);
        }
    }
    return output;
}

} // namespace

byte_image resize_box(const byte_image &image, int width, int height)
{
    if (image.width <= 0 || image.height <= 0 ||
        image.rgb.size() != static_cast<std::size_t>(image.width) * image.height * channels) {
        throw std::invalid_argument("resize_box: image of " + std::to_string(image.rgb.size()) +
                                    " bytes does not match its size " + std::to_string(image.width) + "x" +
                                    std::to_string(image.height));
    }
    if (width <= 0 || height <= 0) {
        throw std::invalid_argument("resize_box: invalid output size " + std::to_string(width) + "x" +
                                    std::to_string(height));
    }

    // Pillow skips a pass whose axis keeps its size.
    byte_image result = image;
    if (width != image.width) {
        result = resample_horizontal(result, width);
    }
    if (height != image.height) {
        result = resample_vertical(result, height);
    }
    return result;
}

} // namespace crimp::corruption::detail
