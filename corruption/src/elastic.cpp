#include "corruptions.hpp"
#include "filters.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace crimp::corruption::detail
{

namespace
{

constexpr int pixel_count = image_side * image_side;

struct elastic_parameters {
    // Scale of the displacement fields in pixels.
    double alpha;
    // Sigma of the Gaussian that smooths the displacement fields, in pixels.
    double sigma;
    // Maximum shift of each affine control point coordinate, in pixels.
    double affine;
};

// The reference writes each value as the image side (32) times a fraction.
constexpr std::array<elastic_parameters, 5> elastic_severities = {{
    {image_side * 0.0, image_side * 0.0, image_side * 0.08},
    {image_side * 0.05, image_side * 0.2, image_side * 0.07},
    {image_side * 0.08, image_side * 0.06, image_side * 0.06},
    {image_side * 0.1, image_side * 0.04, image_side * 0.05},
    {image_side * 0.1, image_side * 0.03, image_side * 0.03},
}};

// Maps an integer index onto [0, size) by half-sample symmetric extension (scipy's mode 'reflect'):
// … c b a | a b c d | d c b …
int reflect_index(int index, int size)
{
    const int period = 2 * size;
    int wrapped = index % period;
    if (wrapped < 0) {
        wrapped += period;
    }
    return wrapped < size ? wrapped : period - 1 - wrapped;
}

// One U(−1, 1) field smoothed by scipy's gaussian_filter (mode reflect, truncate 3) and scaled by alpha,
// then rounded to float32 as the reference does with astype(np.float32).
std::vector<float> displacement_field(counter_rng &random, double alpha, double sigma)
{
    float_image field;
    field.height = image_side;
    field.width = image_side;
    field.channels = 1;
    field.values.resize(pixel_count);
    for (double &value : field.values) {
        value = random.uniform(-1.0, 1.0);
    }
    // scipy's gaussian_filter leaves the input unchanged for sigma 0 (severity 1).
    if (sigma > 0.0) {
        field = gaussian_filter(field, sigma, border_mode::reflect, 3.0);
    }

    std::vector<float> displacement(pixel_count);
    for (int i = 0; i < pixel_count; ++i) {
        displacement[i] = static_cast<float>(field.values[i] * alpha);
    }
    return displacement;
}

// Moves the three control points (26, 26), (26, 6) and (6, 6) by U(−affine, affine) in each coordinate and warps
// the image with the affine transform between the two triangles: bilinear, reflect-101 border, float32.
cv::Mat random_affine_warp(const cv::Mat &image, counter_rng &random, double affine)
{
    const std::array<cv::Point2f, 3> source = {cv::Point2f(26, 26), cv::Point2f(26, 6), cv::Point2f(6, 6)};
    std::array<cv::Point2f, 3> destination = source;
    for (cv::Point2f &point : destination) {
        point.x += static_cast<float>(random.uniform(-affine, affine));
        point.y += static_cast<float>(random.uniform(-affine, affine));
    }
    const cv::Mat transform = cv::getAffineTransform(source.data(), destination.data());

    cv::Mat warped;
    cv::warpAffine(image, warped, transform, image.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
    return warped;
}

} // namespace

void elastic_transform(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &,
                       rgb_image &output)
{
    const elastic_parameters parameters = elastic_severities[severity - 1];

    cv::Mat unit_image(image_side, image_side, CV_32FC3);
    auto *unit_values = unit_image.ptr<float>();
    for (std::size_t i = 0; i < image_size; ++i) {
        unit_values[i] = static_cast<float>(image[i]) / 255.0F;
    }
    const cv::Mat warped = random_affine_warp(unit_image, random, parameters.affine);
    const float *warped_values = warped.ptr<float>();

    // The fields are drawn even at severity 1, where alpha is 0 and they displace nothing.
    const std::vector<float> dx = displacement_field(random, parameters.alpha, parameters.sigma);
    const std::vector<float> dy = displacement_field(random, parameters.alpha, parameters.sigma);

    // scipy.ndimage.map_coordinates(order=1, mode='reflect') as in SciPy 1.6 and later: bilinear interpolation of
    // the image extended by half-sample reflection, so coordinates past the border read mirrored pixels.
    for (int row = 0; row < image_side; ++row) {
        for (int column = 0; column < image_side; ++column) {
            const int pixel = row * image_side + column;
            const double source_row = row + static_cast<double>(dy[pixel]);
            const double source_column = column + static_cast<double>(dx[pixel]);
            const double row_floor = std::floor(source_row);
            const double column_floor = std::floor(source_column);
            const double row_fraction = source_row - row_floor;
            const double column_fraction = source_column - column_floor;
            const int top = reflect_index(static_cast<int>(row_floor), image_side);
            const int bottom = reflect_index(static_cast<int>(row_floor) + 1, image_side);
            const int left = reflect_index(static_cast<int>(column_floor), image_side);
            const int right = reflect_index(static_cast<int>(column_floor) + 1, image_side);

            for (int channel = 0; channel < image_channels; ++channel) {
                const auto sample = [&](int sample_row, int sample_column) {
                    return static_cast<double>(
                        warped_values[(sample_row * image_side + sample_column) * image_channels + channel]);
                };
                const double upper = (1.0 - column_fraction) * sample(top, left) + column_fraction * sample(top, right);
                const double lower =
                    (1.0 - column_fraction) * sample(bottom, left) + column_fraction * sample(bottom, right);
                // map_coordinates returns the input's dtype, float32, and the reference clips and scales that.
                const auto value = static_cast<float>((1.0 - row_fraction) * upper + row_fraction * lower);
                output[static_cast<std::size_t>(pixel) * image_channels + channel] =
                    static_cast<std::uint8_t>(std::clamp(value, 0.0F, 1.0F) * 255.0F);
            }
        }
    }
}

} // namespace crimp::corruption::detail
