#include "hsv.hpp"

#include <algorithm>
#include <cmath>

namespace crimp::corruption::detail
{

namespace
{

// Python's float modulo with divisor 1 as numpy computes it: fmod, then shifted into [0, 1) for a
// negative remainder.
double modulo_one(double value)
{
    double remainder = std::fmod(value, 1.0);
    if (remainder != 0.0) {
        if (remainder < 0.0) {
            remainder += 1.0;
        }
    } else {
        remainder = 0.0;
    }
    return remainder;
}

} // namespace

hsv_pixel rgb_to_hsv(double red, double green, double blue)
{
    hsv_pixel pixel;
    const double maximum = std::max(std::max(red, green), blue);
    const double minimum = std::min(std::min(red, green), blue);
    const double delta = maximum - minimum;
    pixel.value = maximum;
    if (delta == 0.0) {
        // skimage sets S and H to 0 for grey pixels, including black, where S would be 0/0.
        return pixel;
    }
    pixel.saturation = delta / maximum;

    double sector = 0.0;
    if (red == maximum) {
        sector = (green - blue) / delta;
    }
    if (green == maximum) {
        sector = 2.0 + (blue - red) / delta;
    }
    if (blue == maximum) {
        sector = 4.0 + (red - green) / delta;
    }
    pixel.hue = modulo_one(sector / 6.0);
    return pixel;
}

void hsv_to_rgb(const hsv_pixel &pixel, double &red, double &green, double &blue)
{
    const double scaled_hue = pixel.hue * 6.0;
    const double sector_start = std::floor(scaled_hue);
    const double fraction = scaled_hue - sector_start;
    const double value = pixel.value;
    const double p = value * (1.0 - pixel.saturation);
    const double q = value * (1.0 - fraction * pixel.saturation);
    const double t = value * (1.0 - (1.0 - fraction) * pixel.saturation);

    // skimage casts the sector to uint8 before taking it modulo 6, so a hue of exactly 1 is sector 0.
    const double choices[6][3] = {
        {value, t, p}, {q, value, p}, {p, value, t}, {p, q, value}, {t, p, value}, {value, p, q},
    };
    const double *chosen = choices[static_cast<int>(sector_start) % 6];
    red = chosen[0];
    green = chosen[1];
    blue = chosen[2];
}

} // namespace crimp::corruption::detail
