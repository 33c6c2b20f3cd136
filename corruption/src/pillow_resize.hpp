#pragma once

// Pillow's BOX resampling (Image.resize with Image.BOX, Pillow 9.4), reimplemented so that pixelate
// matches the reference byte for byte.

#include <cstdint>
#include <vector>

namespace crimp::corruption::detail
{

// An 8-bit RGB image of any size in HWC order.
struct byte_image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;
};

// Resizes like Pillow's resize((width, height), BOX): a horizontal pass, an 8-bit intermediate image, then
// a vertical pass. Each output pixel averages the input pixels whose centres fall in its box, with weights
// in 22-bit fixed point and the sum rounded to nearest. Enlarging an axis picks the nearest pixel.
byte_image resize_box(const byte_image &image, int width, int height);

} // namespace crimp::corruption::detail
