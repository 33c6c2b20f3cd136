#include "filters.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace crimp::corruption::detail
{

namespace
{

// Sums like numpy's pairwise summation (numpy 1.24, float64): below 8 values a plain loop, up to 128
// values eight interleaved partial sums, and larger arrays split in two halves at a multiple of 8.
// The order matters because the Gaussian weights are divided by this sum.
double numpy_pairwise_sum(const double *values, std::size_t count)
{
    constexpr std::size_t block_size = 128;
    if (count < 8) {
        double sum = 0.0;
        for (std::size_t i = 0; i < count; ++i) {
            sum += values[i];
        }
        return sum;
    }
    if (count <= block_size) {
        double partial[8];
        for (std::size_t j = 0; j < 8; ++j) {
            partial[j] = values[j];
        }
        std::size_t i = 8;
        for (; i < count - count % 8; i += 8) {
            for (std::size_t j = 0; j < 8; ++j) {
                partial[j] += values[i + j];
            }
        }
        double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                     ((partial[4] + partial[5]) + (partial[6] + partial[7]));
        for (; i < count; ++i) {
            sum += values[i];
        }
        return sum;
    }
    std::size_t half = count / 2;
    half -= half % 8;
    return numpy_pairwise_sum(values, half) + numpy_pairwise_sum(values + half, count - half);
}

// The weights of scipy's _gaussian_kernel1d (order 0): exp(-0.5 / σ² · k²) for k = −radius..radius,
// divided by their sum.
std::vector<double> gaussian_kernel(double sigma, int radius)
{
    const double scale = -0.5 / (sigma * sigma);
    std::vector<double> weights;
    for (int k = -radius; k <= radius; ++k) {
        weights.push_back(std::exp(scale * static_cast<double>(k * k)));
    }
    const double sum = numpy_pairwise_sum(weights.data(), weights.size());
    for (double &weight : weights) {
        weight /= sum;
    }
    return weights;
}

// Maps an index outside [0, length) back into the line, as scipy.ndimage extends lines.
int extended_index(int index, int length, border_mode mode)
{
    if (index >= 0 && index < length) {
        return index;
    }
    if (mode == border_mode::nearest) {
        return index < 0 ? 0 : length - 1;
    }
    // Half-sample symmetric extension repeats with period 2·length.
    const int period = 2 * length;
    int folded = index % period;
    if (folded < 0) {
        folded += period;
    }
    return folded < length ? folded : period - 1 - folded;
}

// Applies scipy.ndimage.correlate1d with a symmetric kernel along one axis (0 = rows, 1 = columns).
// scipy's symmetric path starts from the centre tap and adds (left + right)·weight from the outermost
// pair inwards. Summing in the same order keeps the result bit-identical.
float_image correlate_symmetric(const float_image &image, const std::vector<double> &weights, int axis,
                                border_mode mode)
{
    const int radius = static_cast<int>(weights.size() / 2);
    const double *centre = weights.data() + radius;
    const int length = axis == 0 ? image.height : image.width;
    const int lines = axis == 0 ? image.width : image.height;
    const std::size_t row_stride = static_cast<std::size_t>(image.width) * image.channels;
    const std::size_t step = axis == 0 ? row_stride : static_cast<std::size_t>(image.channels);
    const std::size_t line_stride = axis == 0 ? static_cast<std::size_t>(image.channels) : row_stride;

    float_image output = image;
    std::vector<double> line(static_cast<std::size_t>(length + 2 * radius));
    for (int channel = 0; channel < image.channels; ++channel) {
        for (int line_index = 0; line_index < lines; ++line_index) {
            const std::size_t base = static_cast<std::size_t>(line_index) * line_stride + channel;
            for (int i = -radius; i < length + radius; ++i) {
                const int source = extended_index(i, length, mode);
                line[static_cast<std::size_t>(i + radius)] = image.values[base + source * step];
            }
            for (int i = 0; i < length; ++i) {
                const double *input = line.data() + i + radius;
                double sum = input[0] * centre[0];
                for (int k = -radius; k < 0; ++k) {
                    sum += (input[k] + input[-k]) * centre[k];
                }
                output.values[base + i * step] = sum;
            }
        }
    }
    return output;
}

// scipy.ndimage's coordinate for order-1 interpolation near the edge: an index past the last one is
// mirrored about it (whole-sample symmetric), which only happens with a zero weight here.
int mirrored_index(int index, int length)
{
    if (length <= 1) {
        return 0;
    }
    const int period = 2 * length - 2;
    if (index >= length) {
        index -= period * (index / period);
        if (index >= length) {
            index = period - index;
        }
    }
    return index;
}

// One axis of scipy.ndimage.zoom(order=1, grid_mode=False, mode='constant') at one output index: the
// two source indices, their weights, and whether the coordinate fell outside the input.
struct linear_tap {
    int first = 0;
    int second = 0;
    double first_weight = 0.0;
    double second_weight = 0.0;
    bool outside = false;
};

linear_tap zoom_tap(int output_index, int input_size, double factor)
{
    linear_tap tap;
    const double coordinate = static_cast<double>(output_index) * factor;
    if (coordinate < 0.0 || coordinate > static_cast<double>(input_size - 1)) {
        tap.outside = true;
        return tap;
    }
    const double start = std::floor(coordinate);
    tap.first = static_cast<int>(start);
    tap.second = mirrored_index(tap.first + 1, input_size);
    // scipy computes the second weight as 1 − the first, not as the fraction itself.
    tap.first_weight = 1.0 - (coordinate - start);
    tap.second_weight = 1.0 - tap.first_weight;
    return tap;
}

} // namespace

float_image gaussian_filter(const float_image &image, double sigma, border_mode mode, double truncate)
{
    const std::size_t expected = static_cast<std::size_t>(image.height) * image.width * image.channels;
    if (image.height <= 0 || image.width <= 0 || image.channels <= 0 || image.values.size() != expected) {
        throw std::invalid_argument("gaussian_filter: image of " + std::to_string(image.values.size()) +
                                    " values does not match its shape " + std::to_string(image.height) + "x" +
                                    std::to_string(image.width) + "x" + std::to_string(image.channels));
    }
    // scipy skips axes whose sigma is at most 1e-15, so a zero sigma returns a copy.
    if (!(sigma > 1e-15)) {
        return image;
    }
    const int radius = static_cast<int>(truncate * sigma + 0.5);
    const std::vector<double> weights = gaussian_kernel(sigma, radius);
    const float_image rows_filtered = correlate_symmetric(image, weights, 0, mode);
    return correlate_symmetric(rows_filtered, weights, 1, mode);
}

std::vector<float> clipped_zoom(const std::vector<float> &image, int side, int channels, double zoom)
{
    if (side <= 0 || channels <= 0 || image.size() != static_cast<std::size_t>(side) * side * channels) {
        throw std::invalid_argument("clipped_zoom: image of " + std::to_string(image.size()) +
                                    " values does not match side " + std::to_string(side) + " and " +
                                    std::to_string(channels) + " channels");
    }
    if (!(zoom >= 1.0)) {
        throw std::invalid_argument("clipped_zoom: invalid zoom factor " + std::to_string(zoom) +
                                    ": expected at least 1");
    }

    const int crop = static_cast<int>(std::ceil(static_cast<double>(side) / zoom));
    const int top = (side - crop) / 2;
    // Python's round() rounds half to even, as does nearbyint in the default rounding mode.
    const int zoomed = static_cast<int>(std::nearbyint(static_cast<double>(crop) * zoom));
    const int trim = (zoomed - side) / 2;
    const double factor = zoomed > 1 ? static_cast<double>(crop - 1) / static_cast<double>(zoomed - 1) : 1.0;

    std::vector<linear_tap> taps(static_cast<std::size_t>(side));
    for (int i = 0; i < side; ++i) {
        taps[static_cast<std::size_t>(i)] = zoom_tap(trim + i, crop, factor);
    }

    auto input_at = [&](int row, int column, int channel) {
        const std::size_t index =
            (static_cast<std::size_t>(top + row) * side + static_cast<std::size_t>(top + column)) * channels + channel;
        return static_cast<double>(image[index]);
    };

    std::vector<float> output(image.size());
    for (int y = 0; y < side; ++y) {
        const linear_tap &row = taps[static_cast<std::size_t>(y)];
        for (int x = 0; x < side; ++x) {
            const linear_tap &column = taps[static_cast<std::size_t>(x)];
            for (int channel = 0; channel < channels; ++channel) {
                double value = 0.0;
                if (!row.outside && !column.outside) {
                    // scipy also visits the channel axis with weights (1, 0), but the zero-weight terms
                    // only add +0.0, so they are left out. Each term is (value · row weight) · column weight.
                    value += input_at(row.first, column.first, channel) * row.first_weight * column.first_weight;
                    value += input_at(row.first, column.second, channel) * row.first_weight * column.second_weight;
                    value += input_at(row.second, column.first, channel) * row.second_weight * column.first_weight;
                    value += input_at(row.second, column.second, channel) * row.second_weight * column.second_weight;
                }
                output[(static_cast<std::size_t>(y) * side + x) * channels + channel] = static_cast<float>(value);
            }
        }
    }
    return output;
}

float_image skimage_gaussian(const rgb_image &image, double sigma)
{
    float_image scaled;
    scaled.height = image_side;
    scaled.width = image_side;
    scaled.channels = image_channels;
    scaled.values.resize(image_size);
    for (std::size_t i = 0; i < image_size; ++i) {
        scaled.values[i] = image[i] / 255.0;
    }
    return gaussian_filter(scaled, sigma, border_mode::nearest, 4.0);
}

} // namespace crimp::corruption::detail
