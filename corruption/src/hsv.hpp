#pragma once

// RGB ↔ HSV conversion as skimage.color (0.19) computes it in float64, so that brightness and saturate
// round the same way as the reference.

namespace crimp::corruption::detail
{

// Hue, saturation and value, each in [0, 1].
struct hsv_pixel {
    double hue = 0.0;
    double saturation = 0.0;
    double value = 0.0;
};

// skimage's rgb2hsv for one pixel with channels in [0, 1]: V = max, S = (max − min) / V, and H from the
// channel equal to the maximum, where a later channel (R, then G, then B) wins a tie.
hsv_pixel rgb_to_hsv(double red, double green, double blue);

// skimage's hsv2rgb for one pixel: sector floor(6H) mod 6 with the usual p, q, t formulas.
void hsv_to_rgb(const hsv_pixel &pixel, double &red, double &green, double &blue);

} // namespace crimp::corruption::detail
