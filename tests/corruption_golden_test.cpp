#include "test_support.hpp"

#include <crimp/corruption/corruption.hpp>
#include <crimp/corruption/image.hpp>
#include <crimp/engine/npy.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace
{

namespace corruption = crimp::corruption;

// The golden files hold severities 1–5 of the first 100 CIFAR-10 test images.
constexpr std::size_t golden_images = 100;
constexpr std::size_t cifar_record_size = 1 + 3 * 32 * 32;

std::vector<corruption::rgb_image> read_cifar_images(const std::filesystem::path &file, std::size_t count)
{
    std::ifstream stream(file, std::ios::binary);
    REQUIRE_MESSAGE(stream.good(), "cannot open " << file);
    std::vector<corruption::rgb_image> images;
    std::vector<char> record(cifar_record_size);
    for (std::size_t i = 0; i < count; ++i) {
        stream.read(record.data(), static_cast<std::streamsize>(record.size()));
        REQUIRE_MESSAGE(stream.good(), file << " ends before image " << i);
        images.push_back(corruption::from_planar(reinterpret_cast<const std::uint8_t *>(record.data()) + 1));
    }
    return images;
}

// Corrupts the first 100 test images at every severity through the public API and compares them with
// the reference output byte for byte. A failure reports the number of differing bytes per severity and
// the first difference.
void check_against_golden(const std::string &name)
{
    const auto shared = crimp::testing::shared_dir();
    if (!shared) {
        crimp::testing::skip("shared CIFAR-10 data and golden corruption outputs not found");
        return;
    }
    const std::filesystem::path golden_file = *shared / "reference" / "corruptions" / "golden" / (name + ".npy");
    const crimp::npy_array golden = crimp::read_npy(golden_file);
    REQUIRE(golden.kind == 'u');
    REQUIRE(golden.item_size == 1);
    const std::vector<std::size_t> expected_shape = {corruption::severities, golden_images, corruption::image_side,
                                                     corruption::image_side, corruption::image_channels};
    REQUIRE(golden.shape == expected_shape);

    const std::vector<corruption::rgb_image> images =
        read_cifar_images(*shared / "data" / "cifar-10-exact" / "test_batch.first1000.bin", golden_images);
    const int index = corruption::corruption_index(name);
    const corruption::corruption_resources resources;

    std::array<std::size_t, corruption::severities> differing_per_severity{};
    std::string first_difference;
    for (int severity = 1; severity <= corruption::severities; ++severity) {
        for (std::size_t image = 0; image < golden_images; ++image) {
            const corruption::rgb_image actual =
                corruption::apply_corruption(index, severity, images[image], /*seed=*/0, image, resources);
            const std::size_t base = (static_cast<std::size_t>(severity - 1) * golden_images + image) *
                                     corruption::image_size;
            for (std::size_t byte = 0; byte < corruption::image_size; ++byte) {
                const std::uint8_t expected = golden.data[base + byte];
                if (actual[byte] == expected) {
                    continue;
                }
                ++differing_per_severity[static_cast<std::size_t>(severity - 1)];
                if (first_difference.empty()) {
                    const std::size_t pixel = byte / corruption::image_channels;
                    std::ostringstream message;
                    message << "first difference at severity " << severity << ", image " << image << ", y "
                            << pixel / corruption::image_side << ", x " << pixel % corruption::image_side
                            << ", channel " << byte % corruption::image_channels << ": got "
                            << static_cast<int>(actual[byte]) << ", expected " << static_cast<int>(expected);
                    first_difference = message.str();
                }
            }
        }
    }

    std::size_t differing = 0;
    std::ostringstream per_severity;
    for (std::size_t i = 0; i < differing_per_severity.size(); ++i) {
        differing += differing_per_severity[i];
        per_severity << (i == 0 ? "" : ", ") << differing_per_severity[i];
    }
    INFO(name << ": " << differing << " differing bytes (per severity: " << per_severity.str() << "); "
              << first_difference);
    CHECK(differing == 0);
}

} // namespace

TEST_CASE("brightness equals golden output")
{
    check_against_golden("brightness");
}

TEST_CASE("contrast equals golden output")
{
    check_against_golden("contrast");
}

TEST_CASE("saturate equals golden output")
{
    check_against_golden("saturate");
}

TEST_CASE("defocus_blur equals golden output")
{
    check_against_golden("defocus_blur");
}

TEST_CASE("gaussian_blur equals golden output")
{
    check_against_golden("gaussian_blur");
}

TEST_CASE("zoom_blur equals golden output")
{
    check_against_golden("zoom_blur");
}

TEST_CASE("pixelate equals golden output")
{
    check_against_golden("pixelate");
}

TEST_CASE("jpeg_compression equals golden output")
{
    check_against_golden("jpeg_compression");
}
