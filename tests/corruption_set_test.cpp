#include "corruption_stats.hpp"
#include "test_support.hpp"

#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/corruption/corruption_cache.hpp>
#include <crimp/engine/error.hpp>

#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include <algorithm>

using namespace crimp;
using namespace crimp::corruption;
using crimp::testing::temporary_folder;

namespace
{

// A few test images: the exact CIFAR-10 images when present, else seeded pseudo-random ones.
std::vector<rgb_image> sample_images(std::size_t count)
{
    const auto &exact = crimp::testing::exact_test_images();
    if (exact.size() >= count) {
        return {exact.begin(), exact.begin() + static_cast<std::ptrdiff_t>(count)};
    }
    std::vector<rgb_image> images(count);
    std::uint32_t state = 12345;
    for (auto &image : images) {
        for (auto &value : image) {
            state = state * 1664525U + 1013904223U;
            value = static_cast<std::uint8_t>(state >> 24);
        }
    }
    return images;
}

std::vector<int> corruptions_without_frost()
{
    auto all = parse_corruption_list("all");
    all.erase(std::remove(all.begin(), all.end(), corruption_index("frost")), all.end());
    return all;
}

} // namespace

TEST_CASE("corruption registry lists 19 corruptions")
{
    const auto &list = corruption_list();
    REQUIRE(list.size() == 19);
    CHECK(std::count_if(list.begin(), list.end(), [](const auto &info) { return info.benchmark; }) == 15);
    CHECK(std::count_if(list.begin(), list.end(), [](const auto &info) { return info.deterministic; }) == 8);
    CHECK(list.front().name == "gaussian_noise");
    CHECK(list[14].name == "jpeg_compression");
    CHECK_FALSE(list[corruption_index("saturate")].benchmark);
}

TEST_CASE("corruption names and severities parse")
{
    CHECK(parse_corruption_list("").size() == 19);
    CHECK(parse_corruption_list("fog, snow,fog") == std::vector<int>{corruption_index("fog"), corruption_index("snow")});
    CHECK(parse_severity_list("5,1,3") == std::vector<int>{1, 3, 5});
    CHECK_THROWS_AS(parse_severity_list("6"), usage_error);
    CHECK_THROWS_AS(parse_severity_list("2x"), usage_error);
    try {
        parse_corruption_list("fog,hail");
        FAIL("expected usage_error");
    } catch (const usage_error &error) {
        const std::string message = error.what();
        CHECK(message.find("'hail'") != std::string::npos);
        CHECK(message.find("elastic_transform") != std::string::npos);
    }
    CHECK(needs_frost_textures(parse_corruption_list("frost")));
    CHECK_FALSE(needs_frost_textures(parse_corruption_list("fog")));
}

TEST_CASE("corrupted sets equal for one and two threads")
{
    const auto images = sample_images(24);
    const auto resources = crimp::testing::shared_corruption_resources();
    auto corruptions = corruptions_without_frost();
    if (resources.frost) {
        corruptions.push_back(corruption_index("frost"));
    }
    for (const int corruption : corruptions) {
        CAPTURE(corruption_list()[corruption].name);
        std::vector<std::uint8_t> single;
        std::vector<std::uint8_t> dual;
        {
            const tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
            single = corrupt_images(images, corruption, {1, 2, 3, 4, 5}, 99, resources);
        }
        {
            const tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
            dual = corrupt_images(images, corruption, {1, 2, 3, 4, 5}, 99, resources);
        }
        CHECK(single == dual);
    }
}

TEST_CASE("random corruptions depend on seed and index")
{
    const auto images = sample_images(2);
    const int noise = corruption_index("gaussian_noise");
    const corruption_resources none;
    const auto first = apply_corruption(noise, 3, images[0], 1, 0, none);
    CHECK(first == apply_corruption(noise, 3, images[0], 1, 0, none));
    CHECK(first != apply_corruption(noise, 3, images[0], 2, 0, none));
    CHECK(first != apply_corruption(noise, 3, images[0], 1, 1, none));
    CHECK_THROWS_AS(apply_corruption(noise, 6, images[0], 1, 0, none), usage_error);
}

TEST_CASE("corrupted sets are severity-major")
{
    const auto images = sample_images(3);
    const int contrast = corruption_index("contrast");
    const auto set = corrupt_images(images, contrast, {2, 4}, 0, {});
    REQUIRE(set.size() == 2 * 3 * image_size);
    const auto expected = apply_corruption(contrast, 4, images[1], 0, 1, {});
    CHECK(std::equal(expected.begin(), expected.end(), set.begin() + static_cast<std::ptrdiff_t>(4 * image_size)));
}

TEST_CASE("frost without textures names the fix")
{
    const auto images = sample_images(1);
    try {
        apply_corruption(corruption_index("frost"), 1, images[0], 0, 0, {});
        FAIL("expected input_error");
    } catch (const input_error &error) {
        CHECK(std::string(error.what()).find("--frost-dir") != std::string::npos);
    }
    temporary_folder empty;
    try {
        load_frost_textures(empty.path());
        FAIL("expected input_error");
    } catch (const input_error &error) {
        CHECK(std::string(error.what()).find("frost1.png") != std::string::npos);
    }
}

TEST_CASE("corruption cache stores and reloads sets")
{
    temporary_folder folder;
    const auto file = folder.path() / "cache" / "cifar10-test.h5";
    const auto images = sample_images(5);
    const int fog = corruption_index("fog");
    std::vector<std::uint8_t> generated;
    {
        corruption_cache cache(file, images, 7);
        CHECK_FALSE(cache.contains(fog));
        generated = cache.load_or_generate(fog, {});
        CHECK(cache.contains(fog));
    }
    CHECK(generated == corrupt_images(images, fog, {1, 2, 3, 4, 5}, 7, {}));
    {
        corruption_cache reopened(file, images, 7);
        CHECK(reopened.contains(fog));
        CHECK(reopened.load_or_generate(fog, {}) == generated);
    }
    CHECK_THROWS_AS(corruption_cache(file, images, 8), input_error);
    auto other_images = images;
    other_images[0][0] ^= 1;
    CHECK_THROWS_AS(corruption_cache(file, other_images, 7), input_error);
}

TEST_CASE("corruption cache rejects foreign file")
{
    temporary_folder folder;
    const auto file = folder.path() / "not-hdf5.h5";
    crimp::testing::write_bytes(file, "plain text");
    CHECK_THROWS_AS(corruption_cache(file, sample_images(1), 0), input_error);
}
