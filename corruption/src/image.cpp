#include <crimp/corruption/image.hpp>

namespace crimp::corruption
{

rgb_image from_planar(const std::uint8_t *planar)
{
    constexpr std::size_t plane = image_side * image_side;
    rgb_image image;
    for (std::size_t pixel = 0; pixel < plane; ++pixel) {
        for (std::size_t channel = 0; channel < image_channels; ++channel) {
            image[pixel * image_channels + channel] = planar[channel * plane + pixel];
        }
    }
    return image;
}

void to_planar(const rgb_image &image, std::uint8_t *planar)
{
    constexpr std::size_t plane = image_side * image_side;
    for (std::size_t pixel = 0; pixel < plane; ++pixel) {
        for (std::size_t channel = 0; channel < image_channels; ++channel) {
            planar[channel * plane + pixel] = image[pixel * image_channels + channel];
        }
    }
}

} // namespace crimp::corruption
