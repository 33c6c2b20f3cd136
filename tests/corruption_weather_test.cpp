#include "corruption_stats.hpp"

#include "motion.hpp"

#include <crimp/corruption/corruption.hpp>
#include <crimp/engine/error.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

using crimp::corruption::image_channels;
using crimp::corruption::image_side;
using crimp::corruption::rgb_image;

namespace
{

// A 32×32 RGB image in which each pixel differs from its upper, left and upper-left neighbours, so that a copied
// pixel is recognisable.
rgb_image varied_image()
{
    rgb_image image{};
    for (std::size_t i = 0; i < image.size(); ++i) {
        image[i] = static_cast<std::uint8_t>((i * 37 + i / 96 * 11) % 256);
    }
    return image;
}

std::uint8_t pixel_value(const rgb_image &image, int row, int column, int channel)
{
    return image[(static_cast<std::size_t>(row) * image_side + column) * image_channels + channel];
}

} // namespace

// Radius 1 and sigma 1 give 3 taps with weights exp(−i²/2) / Σ = 0.574097, 0.348207, 0.077696. At angle 0, tap i
// reads the pixel i columns to the right, so a 255 pixel leaves a streak to its left of 255·k_i = 146.39, 88.79
// and 19.81. Q16 rounds 257·255·k_i to 37623, 22820 and 5092, and the 8-bit output drops the remainder of the
// division by 257: 146, 88 and 19, where rounding 255·k_i would give 146, 89 and 20.
TEST_CASE("magick_motion_blur trails a single bright pixel")
{
    std::array<std::uint8_t, 8> row{};
    row[4] = 255;
    std::array<std::uint8_t, 8> blurred{};
    crimp::corruption::detail::magick_motion_blur(row.data(), 1, 8, 1, 1.0, 1.0, 0.0, blurred.data());

    const std::array<std::uint8_t, 8> expected = {0, 0, 19, 88, 146, 0, 0, 0};
    for (std::size_t x = 0; x < row.size(); ++x) {
        CAPTURE(x);
        CHECK(blurred[x] == expected[x]);
    }
}

// Past the right edge the taps read the edge pixel again: the last column keeps all the weight (255), the one
// before it gets 255·(k_1 + k_2) = 108.61, quantised to 27912 / 257 → 108.
TEST_CASE("magick_motion_blur repeats the edge pixel")
{
    std::array<std::uint8_t, 8> row{};
    row[7] = 255;
    std::array<std::uint8_t, 8> blurred{};
    crimp::corruption::detail::magick_motion_blur(row.data(), 1, 8, 1, 1.0, 1.0, 0.0, blurred.data());

    const std::array<std::uint8_t, 8> expected = {0, 0, 0, 0, 0, 19, 108, 255};
    for (std::size_t x = 0; x < row.size(); ++x) {
        CAPTURE(x);
        CHECK(blurred[x] == expected[x]);
    }
}

// At 90 degrees tap i reads the pixel i rows below, so the streak runs upwards in a single column.
TEST_CASE("magick_motion_blur at 90 degrees streaks a column")
{
    std::array<std::uint8_t, 8> column{};
    column[4] = 255;
    std::array<std::uint8_t, 8> blurred{};
    crimp::corruption::detail::magick_motion_blur(column.data(), 8, 1, 1, 1.0, 1.0, 90.0, blurred.data());

    const std::array<std::uint8_t, 8> expected = {0, 0, 19, 88, 146, 0, 0, 0};
    for (std::size_t y = 0; y < column.size(); ++y) {
        CAPTURE(y);
        CHECK(blurred[y] == expected[y]);
    }
}

TEST_CASE("magick_motion_blur keeps a uniform image")
{
    const std::vector<std::uint8_t> uniform(image_side * image_side * image_channels, 77);
    for (const double angle : {-135.0, -45.0, 0.0, 17.5, 45.0}) {
        std::vector<std::uint8_t> blurred(uniform.size());
        crimp::corruption::detail::magick_motion_blur(uniform.data(), image_side, image_side, image_channels, 9.0, 2.5,
                                                      angle, blurred.data());
        CAPTURE(angle);
        CHECK(blurred == uniform);
    }
}

// At severity 1 the Gaussian (sigma 0.05) has a single tap, so only the shuffle acts. The shuffle runs from the
// bottom-right corner up and copies into (h, w) from (h + dy, w + dx) with dx, dy in {−1, 0}. Those sources are
// still unvisited, so every pixel ends up with the original value of itself or of its upper, left or upper-left
// neighbour. Rows and columns 0 and 1 are never written.
TEST_CASE("glass_blur severity 1 copies from upper-left neighbours")
{
    // (dy, dx) of the pixels a shuffled pixel may take its value from.
    constexpr std::array<std::array<int, 2>, 4> source_offsets = {{{0, 0}, {-1, 0}, {0, -1}, {-1, -1}}};
    const rgb_image image = varied_image();
    const int corruption = crimp::corruption::corruption_index("glass_blur");
    for (std::uint64_t image_index = 0; image_index < 20; ++image_index) {
        const rgb_image shuffled = crimp::corruption::apply_corruption(corruption, 1, image, 7, image_index, {});
        int moved_pixels = 0;
        for (int row = 0; row < image_side; ++row) {
            for (int column = 0; column < image_side; ++column) {
                CAPTURE(image_index);
                CAPTURE(row);
                CAPTURE(column);
                if (row < 2 || column < 2) {
                    for (int channel = 0; channel < image_channels; ++channel) {
                        CHECK(pixel_value(shuffled, row, column, channel) == pixel_value(image, row, column, channel));
                    }
                    continue;
                }
                bool from_candidate = false;
                for (const auto &[dy, dx] : source_offsets) {
                    bool same = true;
                    for (int channel = 0; channel < image_channels; ++channel) {
                        same = same
                               && pixel_value(shuffled, row, column, channel)
                                      == pixel_value(image, row + dy, column + dx, channel);
                    }
                    from_candidate = from_candidate || same;
                }
                CHECK(from_candidate);
                moved_pixels += pixel_value(shuffled, row, column, 0) != pixel_value(image, row, column, 0) ? 1 : 0;
            }
        }
        // Each of the 900 shuffled pixels stays in place with probability 1/4.
        CHECK(moved_pixels > 500);
    }
}

TEST_CASE("frost without textures raises input_error")
{
    const int corruption = crimp::corruption::corruption_index("frost");
    CHECK_THROWS_WITH_AS(crimp::corruption::apply_corruption(corruption, 1, varied_image(), 0, 0, {}),
                         doctest::Contains("--frost-dir"), crimp::input_error);
}

TEST_CASE("glass_blur matches reference statistics")
{
    crimp::testing::check_corruption_statistics("glass_blur");
}

TEST_CASE("motion_blur matches reference statistics")
{
    crimp::testing::check_corruption_statistics("motion_blur");
}

TEST_CASE("snow matches reference statistics")
{
    crimp::testing::check_corruption_statistics("snow");
}

TEST_CASE("frost matches reference statistics")
{
    crimp::testing::check_corruption_statistics("frost");
}

TEST_CASE("fog matches reference statistics")
{
    crimp::testing::check_corruption_statistics("fog");
}

TEST_CASE("spatter matches reference statistics")
{
    crimp::testing::check_corruption_statistics("spatter");
}

TEST_CASE("elastic_transform matches reference statistics")
{
    crimp::testing::check_corruption_statistics("elastic_transform");
}
