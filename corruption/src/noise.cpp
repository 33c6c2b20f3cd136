// The four noise corruptions of CIFAR-10-C (make_cifar_c.py, hendrycks/robustness). Each works on x/255 in
// float64, draws its noise independently for every element (pixel and channel), clips to [0, 1] and
// truncates value·255 to uint8 as np.uint8 does.
#include "corruptions.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace crimp::corruption::detail
{

namespace
{

using severity_table = std::array<double, severities>;

// Standard deviation of the additive N(0, c²) noise.
constexpr severity_table gaussian_noise_sigma = {0.04, 0.06, 0.08, 0.09, 0.10};
// Photon count per unit intensity: a larger scale gives relatively less noise.
constexpr severity_table shot_noise_scale = {500, 250, 100, 75, 50};
// Probability that an element is replaced by 0 or 1 (skimage random_noise 's&p' amount).
constexpr severity_table impulse_noise_amount = {0.01, 0.02, 0.03, 0.05, 0.07};
// Standard deviation of the multiplicative N(0, c²) noise.
constexpr severity_table speckle_noise_sigma = {0.06, 0.10, 0.12, 0.16, 0.20};

double severity_parameter(const severity_table &table, int severity, const char *corruption)
{
    if (severity < 1 || severity > severities) {
        throw std::out_of_range(std::string(corruption) + ": invalid severity " + std::to_string(severity) +
                                ": expected 1 to 5");
    }
    return table[static_cast<std::size_t>(severity - 1)];
}

// Clips to [0, 1] and truncates value·255 toward zero, as np.uint8(np.clip(x, 0, 1) * 255) does.
std::uint8_t to_byte(double value)
{
    return static_cast<std::uint8_t>(std::clamp(value, 0.0, 1.0) * 255.0);
}

double to_unit(std::uint8_t value)
{
    return static_cast<double>(value) / 255.0;
}

} // namespace

void gaussian_noise(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &,
                    rgb_image &output)
{
    const double sigma = severity_parameter(gaussian_noise_sigma, severity, "gaussian_noise");
    for (std::size_t i = 0; i < image.size(); ++i) {
        output[i] = to_byte(to_unit(image[i]) + random.normal(0.0, sigma));
    }
}

void shot_noise(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &,
                rgb_image &output)
{
    const double scale = severity_parameter(shot_noise_scale, severity, "shot_noise");
    for (std::size_t i = 0; i < image.size(); ++i) {
        const auto photons = random.poisson(to_unit(image[i]) * scale);
        output[i] = to_byte(static_cast<double>(photons) / scale);
    }
}

void impulse_noise(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &,
                   rgb_image &output)
{
    const double amount = severity_parameter(impulse_noise_amount, severity, "impulse_noise");
    for (std::size_t i = 0; i < image.size(); ++i) {
        // One uniform draw decides both events: below amount/2 the element becomes salt (1), between
        // amount/2 and amount it becomes pepper (0). That is a flip with probability `amount`, then salt
        // or pepper with probability 1/2 each, as in skimage. Unflipped values are unchanged, because
        // (v/255)·255 == v exactly in float64 for every v in 0..255.
        const double draw = random.uniform();
        if (draw < 0.5 * amount) {
            output[i] = 255;
        } else if (draw < amount) {
            output[i] = 0;
        } else {
            output[i] = image[i];
        }
    }
}

void speckle_noise(const rgb_image &image, int severity, counter_rng &random, const corruption_resources &,
                   rgb_image &output)
{
    const double sigma = severity_parameter(speckle_noise_sigma, severity, "speckle_noise");
    for (std::size_t i = 0; i < image.size(); ++i) {
        const double value = to_unit(image[i]);
        output[i] = to_byte(value + value * random.normal(0.0, sigma));
    }
}

} // namespace crimp::corruption::detail
