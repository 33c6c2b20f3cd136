#include "jpeg_codec.hpp"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <jpeglib.h>

namespace crimp::corruption::detail
{

namespace
{

// libjpeg reports fatal errors through error_exit, which must not return. It jumps back to the
// setjmp point with the formatted message stored here. Only C data lives between setjmp and
// longjmp, so no destructor is skipped.
struct jump_error_manager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jump_on_error(j_common_ptr info)
{
    auto *manager = reinterpret_cast<jump_error_manager *>(info->err);
    (*info->err->format_message)(info, manager->message);
    std::longjmp(manager->jump, 1);
}

// Encodes into a buffer that jpeg_mem_dest allocates with malloc, which the caller frees with
// std::free. Returns false with the message in `errors` on failure.
bool encode_to_buffer(const std::uint8_t *rgb, int width, int height, int quality, jump_error_manager &errors,
                      unsigned char **buffer, unsigned long *size)
{
    jpeg_compress_struct info;
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = jump_on_error;
    if (setjmp(errors.jump) != 0) {
        jpeg_destroy_compress(&info);
        return false;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, buffer, size);
    info.image_width = static_cast<JDIMENSION>(width);
    info.image_height = static_cast<JDIMENSION>(height);
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    const std::size_t row_size = static_cast<std::size_t>(width) * 3;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(rgb + info.next_scanline * row_size);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return true;
}

// Decodes into `rgb`, which has room for width × height × 3 bytes. Returns false with the message in
// `errors` on failure, or with an empty message when the size differs from width × height.
bool decode_to_buffer(const unsigned char *jpeg, unsigned long size, int width, int height,
                      jump_error_manager &errors, std::uint8_t *rgb)
{
    jpeg_decompress_struct info;
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = jump_on_error;
    if (setjmp(errors.jump) != 0) {
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, jpeg, size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    if (info.output_width != static_cast<JDIMENSION>(width) || info.output_height != static_cast<JDIMENSION>(height) ||
        info.output_components != 3) {
        jpeg_destroy_decompress(&info);
        return false;
    }
    const std::size_t row_size = static_cast<std::size_t>(width) * 3;
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = rgb + info.output_scanline * row_size;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return true;
}

} // namespace

std::vector<std::uint8_t> encode_jpeg(const std::uint8_t *rgb, int width, int height, int quality)
{
    jump_error_manager errors{};
    unsigned char *buffer = nullptr;
    unsigned long size = 0;
    const bool encoded = encode_to_buffer(rgb, width, height, quality, errors, &buffer, &size);
    std::vector<std::uint8_t> jpeg;
    if (encoded) {
        jpeg.assign(buffer, buffer + size);
    }
    std::free(buffer);
    if (!encoded) {
        throw std::runtime_error(std::string("JPEG encoding failed: ") + errors.message);
    }
    return jpeg;
}

std::vector<std::uint8_t> decode_jpeg(const std::vector<std::uint8_t> &jpeg, int width, int height)
{
    jump_error_manager errors{};
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * height * 3);
    if (!decode_to_buffer(jpeg.data(), static_cast<unsigned long>(jpeg.size()), width, height, errors, rgb.data())) {
        if (errors.message[0] == '\0') {
            throw std::runtime_error("JPEG decoding failed: the image is not " + std::to_string(width) + "x" +
                                     std::to_string(height) + " RGB");
        }
        throw std::runtime_error(std::string("JPEG decoding failed: ") + errors.message);
    }
    return rgb;
}

} // namespace crimp::corruption::detail
