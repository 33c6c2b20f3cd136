#include "corruptions.hpp"
#include "filters.hpp"
#include "motion.hpp"

#include <crimp/engine/error.hpp>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace crimp::corruption::detail
{

namespace
{

constexpr int pixel_count = image_side * image_side;

// The image as float32 values in [0, 1], as np.array(x, dtype=np.float32) / 255.
std::vector<float> to_unit_float32(const rgb_image &image)
{
    std::vector<float> values(image_size);
    for (std::size_t i = 0; i < image_size; ++i) {
        values[i] = static_cast<float>(image[i]) / 255.0F;
    }
    return values;
}

// A 32×32 layer of independent N(mean, standard_deviation) draws in float64.
std::vector<double> normal_layer(counter_rng &random, double mean, double standard_deviation)
{
    std::vector<double> layer(pixel_count);
    for (double &value : layer) {
        value = random.normal(mean, standard_deviation);
    }
    return layer;
}

// skimage.filters.gaussian of a single-channel float64 32×32 layer: mode nearest, truncate 4.
std::vector<double> blur_layer(const std::vector<double> &layer, double sigma)
{
    float_image image;
    image.height = image_side;
    image.width = image_side;
    image.channels = 1;
    image.values = layer;
    return gaussian_filter(image, sigma, border_mode::nearest, 4.0).values;
}

// Converts a non-negative float as numpy 1.24's astype(np.uint8) does on x86-64: it truncates, and values of 256
// or more wrap modulo 256 because the conversion goes through a 32-bit integer.
std::uint8_t truncate_to_uint8(double value)
{
    return static_cast<std::uint8_t>(static_cast<std::int32_t>(value));
}

struct snow_parameters {
    double mean;
    double standard_deviation;
    double zoom;
    double threshold;
    double blur_radius;
    double blur_sigma;
    double blend;
};

constexpr std::array<snow_parameters, 5> snow_severities = {{
    {0.1, 0.2, 1, 0.6, 8, 3, 0.95},
    {0.1, 0.2, 1, 0.5, 10, 4, 0.9},
    {0.15, 0.3, 1.75, 0.55, 10, 4, 0.9},
    {0.25, 0.3, 2.25, 0.6, 12, 6, 0.85},
    {0.3, 0.3, 1.25, 0.65, 14, 12, 0.8},
}};

struct frost_parameters {
    double image_weight;
    double frost_weight;
};

constexpr std::array<frost_parameters, 5> frost_severities = {{
    {1, 0.2},
    {1, 0.3},
    {0.9, 0.4},
    {0.85, 0.4},
    {0.75, 0.45},
}};

struct fog_parameters {
    double amplitude;
    // The factor by which the plasma noise amplitude shrinks at each halving of the step size.
    double wibble_decay;
};

constexpr std::array<fog_parameters, 5> fog_severities = {{
    {0.2, 3},
    {0.5, 3},
    {0.75, 2.5},
    {1, 2},
    {1.5, 1.75},
}};

struct spatter_parameters {
    double mean;
    double standard_deviation;
    double sigma;
    double threshold;
    // The strength of the water colour, or for mud the sigma of the blur that softens the mud mask.
    double intensity_or_mud_sigma;
    bool mud;
};

constexpr std::array<spatter_parameters, 5> spatter_severities = {{
    {0.62, 0.1, 0.7, 0.7, 0.5, false},
    {0.65, 0.1, 0.8, 0.7, 0.5, false},
    {0.65, 0.3, 1, 0.69, 0.5, false},
    {0.65, 0.1, 0.7, 0.69, 0.6, true},
    {0.65, 0.1, 0.5, 0.68, 0.6, true},
}};

// Builds a plasma fractal on a 32×32 toroidal grid by the diamond-square algorithm and min-max normalises it to
// [0, 1]. Every new point is the mean of its four neighbours plus wibble·U(−wibble, wibble). The wibble starts
// at 100 and is divided by `wibble_decay` after each step size (32, 16, 8, 4, 2).
std::vector<double> plasma_fractal(counter_rng &random, double wibble_decay)
{
    constexpr int size = image_side;
    std::vector<double> map(pixel_count, 0.0);
    const auto at = [&map](int row, int column) -> double & {
        const int wrapped_row = (row % size + size) % size;
        const int wrapped_column = (column % size + size) % size;
        return map[static_cast<std::size_t>(wrapped_row) * size + wrapped_column];
    };

    double wibble = 100.0;
    const auto noisy_mean = [&random, &wibble](double sum_of_four) {
        return sum_of_four / 4.0 + wibble * random.uniform(-wibble, wibble);
    };

    for (int step = size; step >= 2; step /= 2) {
        const int half = step / 2;

        // Squares: each centre from its four corners.
        for (int row = 0; row < size; row += step) {
            for (int column = 0; column < size; column += step) {
                const double corners = (at(row, column) + at(row + step, column))
                                       + (at(row, column + step) + at(row + step, column + step));
                at(row + half, column + half) = noisy_mean(corners);
            }
        }

        // Diamonds: the midpoints of the square edges, each from the two corners on its edge and the two
        // centres beside it. Both sets read only corners and centres, so their order does not matter.
        for (int row = 0; row < size; row += step) {
            for (int column = 0; column < size; column += step) {
                const double centres = at(row + half, column + half) + at(row - half, column + half);
                const double corners = at(row, column) + at(row, column + step);
                at(row, column + half) = noisy_mean(centres + corners);
            }
        }
        for (int row = 0; row < size; row += step) {
            for (int column = 0; column < size; column += step) {
                const double centres = at(row + half, column + half) + at(row + half, column - half);
                const double corners = at(row, column) + at(row + step, column);
                at(row + half, column) = noisy_mean(centres + corners);
            }
        }

        wibble /= wibble_decay;
    }

    const auto [minimum, maximum] = std::minmax_element(map.begin(), map.end());
    const double low = *minimum;
    const double range = *maximum - low;
    for (double &value : map) {
        value = (value - low) / range;
    }
    return map;
}

// The water branch of spatter: outlines of the drops found with Canny, shaded by an embossed distance
// transform, tinted pale turquoise. `layer` is the blurred, thresholded N(mean, sd) layer.
void spatter_water(const std::vector<float> &image, const std::vector<double> &layer, double intensity,
                   rgb_image &output)
{
    cv::Mat layer8(image_side, image_side, CV_8UC1);
    for (int i = 0; i < pixel_count; ++i) {
        layer8.data[i] = truncate_to_uint8(layer[i] * 255.0);
    }

    cv::Mat edges;
    cv::Canny(layer8, edges, 50, 150);
    const cv::Mat not_edges = 255 - edges;

    cv::Mat distance;
    cv::distanceTransform(not_edges, distance, cv::DIST_L2, 5);
    cv::threshold(distance, distance, 20, 20, cv::THRESH_TRUNC);
    cv::blur(distance, distance, cv::Size(3, 3));

    // astype(np.uint8) truncates, where cv::Mat::convertTo would round.
    cv::Mat shade(image_side, image_side, CV_8UC1);
    for (int i = 0; i < pixel_count; ++i) {
        shade.data[i] = truncate_to_uint8(distance.at<float>(i));
    }
    cv::equalizeHist(shade, shade);
    const cv::Mat emboss = (cv::Mat_<float>(3, 3) << -2, -1, 0, -1, 1, 1, 0, 1, 2);
    cv::filter2D(shade, shade, CV_8U, emboss);
    cv::blur(shade, shade, cv::Size(3, 3));

    std::vector<float> mask(pixel_count);
    float mask_maximum = 0.0F;
    for (int i = 0; i < pixel_count; ++i) {
        mask[i] = static_cast<float>(layer8.data[i]) * static_cast<float>(shade.data[i]);
        mask_maximum = std::max(mask_maximum, mask[i]);
    }
    // NOTE: when no drop survives the threshold, the reference divides 0 by 0 and gets NaN, but here the image stays
    // unchanged. None of 20,000 draws per CIFAR severity hit that case.
    const float scale = mask_maximum > 0.0F ? mask_maximum : 1.0F;
    const auto intensity32 = static_cast<float>(intensity);
    for (float &value : mask) {
        value = value / scale * intensity32;
    }

    const std::array<float, 3> colour = {static_cast<float>(175 / 255.0), static_cast<float>(238 / 255.0),
                                         static_cast<float>(238 / 255.0)};
    for (int pixel = 0; pixel < pixel_count; ++pixel) {
        for (int channel = 0; channel < image_channels; ++channel) {
            const std::size_t i = static_cast<std::size_t>(pixel) * image_channels + channel;
            const float value = std::clamp(image[i] + mask[pixel] * colour[channel], 0.0F, 1.0F);
            output[i] = static_cast<std::uint8_t>(value * 255.0F);
        }
    }
}

// The mud branch of spatter: the drops, softened by a Gaussian blur, cover the image in brown where the blurred
// mask reaches 0.8.
void spatter_mud(const std::vector<float> &image, const std::vector<double> &layer, double threshold,
                 double mud_sigma, rgb_image &output)
{
    std::vector<double> drops(pixel_count);
    for (int i = 0; i < pixel_count; ++i) {
        drops[i] = layer[i] > threshold ? 1.0 : 0.0;
    }
    const std::vector<double> blurred = blur_layer(drops, mud_sigma);

    const std::array<float, 3> colour = {static_cast<float>(63 / 255.0), static_cast<float>(42 / 255.0),
                                         static_cast<float>(20 / 255.0)};
    for (int pixel = 0; pixel < pixel_count; ++pixel) {
        float mask = static_cast<float>(blurred[pixel]);
        if (mask < 0.8F) {
            mask = 0.0F;
        }
        for (int channel = 0; channel < image_channels; ++channel) {
            const std::size_t i = static_cast<std::size_t>(pixel) * image_channels + channel;
            const float value = std::clamp(image[i] * (1.0F - mask) + colour[channel] * mask, 0.0F, 1.0F);
            output[i] = static_cast<std::uint8_t>(value * 255.0F);
        }
    }
}

} // namespace

void snow(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &,
          rgb_image &output)
{
    const snow_parameters parameters = snow_severities[severity - 1];

    std::vector<double> layer = normal_layer(random, parameters.mean, parameters.standard_deviation);
    if (parameters.zoom != 1.0) {
        // NOTE: the reference zooms the float64 layer, but clipped_zoom works in float32. The results differ only
        // for a value within about 1e-7 of the threshold or of a truncation step.
        const std::vector<float> layer32(layer.begin(), layer.end());
        const std::vector<float> zoomed = clipped_zoom(layer32, image_side, 1, parameters.zoom);
        layer.assign(zoomed.begin(), zoomed.end());
    }

    std::vector<std::uint8_t> flakes(pixel_count);
    for (int i = 0; i < pixel_count; ++i) {
        const double value = layer[i] < parameters.threshold ? 0.0 : layer[i];
        flakes[i] = static_cast<std::uint8_t>(std::clamp(value, 0.0, 1.0) * 255.0);
    }
    std::vector<std::uint8_t> streaks(pixel_count);
    const double angle = random.uniform(-135.0, -45.0);
    magick_motion_blur(flakes.data(), image_side, image_side, 1, parameters.blur_radius, parameters.blur_sigma, angle,
                       streaks.data());

    // Brighten towards 1.5·grey + 0.5 in float32, as the reference does with cv2's RGB2GRAY on float32.
    std::vector<float> brightened = to_unit_float32(image);
    const cv::Mat rgb(image_side, image_side, CV_32FC3, brightened.data());
    cv::Mat grey;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    const auto blend = static_cast<float>(parameters.blend);
    const auto complement = static_cast<float>(1.0 - parameters.blend);
    for (int pixel = 0; pixel < pixel_count; ++pixel) {
        const float lifted = grey.at<float>(pixel) * 1.5F + 0.5F;
        for (int channel = 0; channel < image_channels; ++channel) {
            float &value = brightened[static_cast<std::size_t>(pixel) * image_channels + channel];
            value = blend * value + complement * std::max(value, lifted);
        }
    }

    // The streaks are added twice: as drawn and rotated by 180 degrees.
    for (int row = 0; row < image_side; ++row) {
        for (int column = 0; column < image_side; ++column) {
            const int pixel = row * image_side + column;
            const int rotated = (image_side - 1 - row) * image_side + (image_side - 1 - column);
            for (int channel = 0; channel < image_channels; ++channel) {
                const std::size_t i = static_cast<std::size_t>(pixel) * image_channels + channel;
                const double value = static_cast<double>(brightened[i]) + streaks[pixel] / 255.0
                                     + streaks[rotated] / 255.0;
                output[i] = static_cast<std::uint8_t>(std::clamp(value, 0.0, 1.0) * 255.0);
            }
        }
    }
}

void frost(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &resources,
           rgb_image &output)
{
    if (!resources.frost || resources.frost->size() < 5) {
        throw input_error("frost textures are missing: pass --frost-dir with the folder that contains frost1.png, "
                          "frost2.png, frost3.png, frost4.jpg and frost5.jpg");
    }
    const frost_parameters parameters = frost_severities[severity - 1];

    // Only the first five textures are candidates, as numpy's randint(5) in the reference.
    const frost_texture &texture = (*resources.frost)[static_cast<std::size_t>(random.integer(0, 5))];
    if (texture.height <= image_side || texture.width <= image_side) {
        throw input_error("frost texture of " + std::to_string(texture.height) + "×" + std::to_string(texture.width)
                          + " pixels is too small: a random 32×32 crop needs at least 33×33");
    }
    const auto top = static_cast<int>(random.integer(0, texture.height - image_side));
    const auto left = static_cast<int>(random.integer(0, texture.width - image_side));

    for (int row = 0; row < image_side; ++row) {
        for (int column = 0; column < image_side; ++column) {
            const std::size_t texture_offset =
                (static_cast<std::size_t>(top + row) * texture.width + (left + column)) * image_channels;
            const std::size_t image_offset = (static_cast<std::size_t>(row) * image_side + column) * image_channels;
            for (int channel = 0; channel < image_channels; ++channel) {
                const double value = parameters.image_weight * image[image_offset + channel]
                                     + parameters.frost_weight * texture.rgb[texture_offset + channel];
                output[image_offset + channel] = static_cast<std::uint8_t>(std::clamp(value, 0.0, 255.0));
            }
        }
    }
}

void fog(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &, rgb_image &output)
{
    const fog_parameters parameters = fog_severities[severity - 1];
    const std::vector<double> map = plasma_fractal(random, parameters.wibble_decay);

    // Scaling by M / (M + a) maps the largest possible foggy value, M + a, back to the clean image's maximum M over
    // all channels.
    const double maximum = *std::max_element(image.begin(), image.end()) / 255.0;
    for (int pixel = 0; pixel < pixel_count; ++pixel) {
        for (int channel = 0; channel < image_channels; ++channel) {
            const std::size_t i = static_cast<std::size_t>(pixel) * image_channels + channel;
            const double foggy = image[i] / 255.0 + parameters.amplitude * map[pixel];
            const double value = foggy * maximum / (maximum + parameters.amplitude);
            output[i] = static_cast<std::uint8_t>(std::clamp(value, 0.0, 1.0) * 255.0);
        }
    }
}

void spatter(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &,
             rgb_image &output)
{
    const spatter_parameters parameters = spatter_severities[severity - 1];

    std::vector<double> layer =
        blur_layer(normal_layer(random, parameters.mean, parameters.standard_deviation), parameters.sigma);
    for (double &value : layer) {
        if (value < parameters.threshold) {
            value = 0.0;
        }
    }

    const std::vector<float> unit_image = to_unit_float32(image);
    if (parameters.mud) {
        spatter_mud(unit_image, layer, parameters.threshold, parameters.intensity_or_mud_sigma, output);
    } else {
        spatter_water(unit_image, layer, parameters.intensity_or_mud_sigma, output);
    }
}

} // namespace crimp::corruption::detail
