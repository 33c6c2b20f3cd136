#pragma once

// An in-memory JPEG round trip through libjpeg(-turbo) with the settings Pillow 9.4 uses for
// Image.save(format='JPEG', quality=q) and Image.open.

#include <cstdint>
#include <vector>

namespace crimp::corruption::detail
{

// Encodes an 8-bit RGB image (HWC) as baseline JPEG: jpeg_set_defaults, then jpeg_set_quality(quality,
// force_baseline TRUE), which gives YCbCr with 4:2:0 chroma subsampling, the ISLOW DCT and no optimised
// Huffman tables. Raises std::runtime_error with libjpeg's message on failure.
std::vector<std::uint8_t> encode_jpeg(const std::uint8_t *rgb, int width, int height, int quality);

// Decodes JPEG bytes to 8-bit RGB (HWC) with the library's defaults (ISLOW IDCT, fancy upsampling).
// Raises std::runtime_error with libjpeg's message for corrupt data or a size other than width × height.
std::vector<std::uint8_t> decode_jpeg(const std::vector<std::uint8_t> &jpeg, int width, int height);

} // namespace crimp::corruption::detail
