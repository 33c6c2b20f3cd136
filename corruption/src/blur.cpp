#include "corruptions.hpp"
#include "filters.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

namespace crimp::corruption::detail
{

namespace
{

constexpr int pixel_count = image_side * image_side;

// Clips to [0, 1], scales to [0, 255] and truncates, as np.uint8(np.clip(x, 0, 1) * 255) does.
std::uint8_t to_byte(double value)
{
    return static_cast<std::uint8_t>(std::min(std::max(value, 0.0), 1.0) * 255.0);
}

// The same in float32, for corruptions that the reference computes on float32 arrays.
std::uint8_t to_byte(float value)
{
    return static_cast<std::uint8_t>(std::min(std::max(value, 0.0f), 1.0f) * 255.0f);
}

// The reference's disk(): a 17×17 float32 disk of the given radius normalised to sum 1, then blurred
// by cv2.GaussianBlur with a 3×3 kernel and sigma `alias_blur`. Every CIFAR radius is at most 8, so the
// grid is always −8..8.
cv::Mat defocus_kernel(double radius, double alias_blur)
{
    constexpr int half = 8;
    constexpr int size = 2 * half + 1;
    cv::Mat disk(size, size, CV_32F);
    int inside = 0;
    for (int y = -half; y <= half; ++y) {
        for (int x = -half; x <= half; ++x) {
            const bool in_disk = static_cast<double>(x * x + y * y) <= radius * radius;
            disk.at<float>(y + half, x + half) = in_disk ? 1.0f : 0.0f;
            inside += in_disk ? 1 : 0;
        }
    }
    // A float32 division per element, as numpy's in-place /= does. cv::Mat's /= would multiply by a
    // double reciprocal instead.
    const auto count = static_cast<float>(inside);
    for (int i = 0; i < size * size; ++i) {
        disk.at<float>(i) /= count;
    }

    cv::Mat blurred;
    cv::GaussianBlur(disk, blurred, cv::Size(3, 3), alias_blur);
    return blurred;
}

} // namespace

void defocus_blur(const rgb_image &image, int severity, counter_rng &, const corruption_resources &, rgb_image &output)
{
    // (disk radius, sigma of the Gaussian that smooths the disk's edge)
    static constexpr std::array<std::array<double, 2>, severities> parameters = {
        {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1.0, 0.2}, {1.5, 0.1}}};
    const auto &[radius, alias_blur] = parameters[static_cast<std::size_t>(severity - 1)];
    const cv::Mat kernel = defocus_kernel(radius, alias_blur);

    // cv2.filter2D on each float64 channel with the float32 kernel. OpenCV can switch to a DFT for
    // kernels this large, so calling OpenCV itself keeps the rounding identical to the reference.
    for (int channel = 0; channel < image_channels; ++channel) {
        cv::Mat plane(image_side, image_side, CV_64F);
        for (int pixel = 0; pixel < pixel_count; ++pixel) {
            plane.at<double>(pixel) = image[static_cast<std::size_t>(pixel * image_channels + channel)] / 255.0;
        }
        cv::Mat filtered;
        cv::filter2D(plane, filtered, -1, kernel, cv::Point(-1, -1), 0.0, cv::BORDER_REFLECT_101);
        for (int pixel = 0; pixel < pixel_count; ++pixel) {
            output[static_cast<std::size_t>(pixel * image_channels + channel)] = to_byte(filtered.at<double>(pixel));
        }
    }
}

void zoom_blur(const rgb_image &image, int severity, counter_rng &, const corruption_resources &, rgb_image &output)
{
    // The reference uses np.arange(1, stop, 0.01), whose values are 1 + i·((1 + 0.01) − 1).
    static constexpr std::array<int, severities> factor_counts = {7, 12, 16, 21, 26};
    const int factor_count = factor_counts[static_cast<std::size_t>(severity - 1)];
    const double step = (1.0 + 0.01) - 1.0;

    std::vector<float> clean(image_size);
    for (std::size_t i = 0; i < image_size; ++i) {
        clean[i] = static_cast<float>(image[i] / 255.0);
    }

    std::vector<float> sum(image_size, 0.0f);
    for (int i = 0; i < factor_count; ++i) {
        const double factor = 1.0 + static_cast<double>(i) * step;
        const std::vector<float> zoomed = clipped_zoom(clean, image_side, image_channels, factor);
        for (std::size_t j = 0; j < image_size; ++j) {
            sum[j] += zoomed[j];
        }
    }

    // The clean image is averaged in as well, so factor 1 counts twice.
    const auto divisor = static_cast<float>(factor_count + 1);
    for (std::size_t i = 0; i < image_size; ++i) {
        output[i] = to_byte((clean[i] + sum[i]) / divisor);
    }
}

void gaussian_blur(const rgb_image &image, int severity, counter_rng &, const corruption_resources &, rgb_image &output)
{
    static constexpr std::array<double, severities> sigmas = {0.4, 0.6, 0.7, 0.8, 1.0};

    const float_image blurred = skimage_gaussian(image, sigmas[static_cast<std::size_t>(severity - 1)]);
    for (std::size_t i = 0; i < image_size; ++i) {
        output[i] = to_byte(blurred.values[i]);
    }
}

} // namespace crimp::corruption::detail
