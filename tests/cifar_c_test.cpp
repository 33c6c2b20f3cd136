#include "test_support.hpp"

#include <crimp/engine/cifar_c.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/npy.hpp>

#include <doctest/doctest.h>

using namespace crimp;
using crimp::testing::temporary_folder;

namespace
{

constexpr std::size_t per_severity = 2;

std::vector<std::uint8_t> severity_images()
{
    std::vector<std::uint8_t> pixels(corruption_severities * per_severity * image_bytes);
    for (std::size_t i = 0; i < pixels.size(); ++i) {
        pixels[i] = static_cast<std::uint8_t>(i / image_bytes);
    }
    return pixels;
}

std::vector<std::int64_t> repeated_labels()
{
    std::vector<std::int64_t> labels;
    for (int severity = 0; severity < corruption_severities; ++severity) {
        labels.push_back(4);
        labels.push_back(8);
    }
    return labels;
}

std::string read_error(const std::filesystem::path &folder, const std::string &corruption)
{
    try {
        read_corrupted_images(folder, corruption);
    } catch (const input_error &error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST_CASE("corrupted images read severity-major")
{
    temporary_folder folder;
    write_npy(folder.path() / "fog.npy", severity_images(), {10, 32, 32, 3});
    write_npy(folder.path() / "labels.npy", repeated_labels(), {10});

    const auto set = read_corrupted_images(folder.path(), "fog");
    CHECK(set.images_per_severity == per_severity);
    CHECK(set.labels == std::vector<std::int64_t>{4, 8});
    CHECK(set.pixels.size() == 10 * image_bytes);
    CHECK(set.pixels[9 * image_bytes] == 9);
}

TEST_CASE("corrupted images reject wrong shape")
{
    temporary_folder folder;
    write_npy(folder.path() / "fog.npy", std::vector<std::uint8_t>(10 * image_bytes), {10, 3, 32, 32});
    write_npy(folder.path() / "labels.npy", repeated_labels(), {10});
    const auto message = read_error(folder.path(), "fog");
    CHECK(message.find("fog.npy") != std::string::npos);
    CHECK(message.find("expected shape (5·N, 32, 32, 3)") != std::string::npos);
    CHECK(message.find("found (10, 3, 32, 32)") != std::string::npos);
}

TEST_CASE("corrupted images reject rows not divisible by five")
{
    temporary_folder folder;
    write_npy(folder.path() / "fog.npy", std::vector<std::uint8_t>(7 * image_bytes), {7, 32, 32, 3});
    const auto message = read_error(folder.path(), "fog");
    CHECK(message.find("found (7, 32, 32, 3)") != std::string::npos);
}

TEST_CASE("corrupted images reject wrong dtype")
{
    temporary_folder folder;
    write_npy(folder.path() / "fog.npy", std::vector<std::int64_t>(10 * image_bytes), {10, 32, 32, 3});
    const auto message = read_error(folder.path(), "fog");
    CHECK(message.find("expected dtype uint8") != std::string::npos);
    CHECK(message.find("'<i8'") != std::string::npos);
}

TEST_CASE("corrupted images reject label count mismatch")
{
    temporary_folder folder;
    write_npy(folder.path() / "fog.npy", severity_images(), {10, 32, 32, 3});
    write_npy(folder.path() / "labels.npy", std::vector<std::int64_t>{4, 8}, {2});
    const auto message = read_error(folder.path(), "fog");
    CHECK(message.find("10 images") != std::string::npos);
    CHECK(message.find("2 labels") != std::string::npos);
}

TEST_CASE("corrupted images reject labels that differ per severity")
{
    temporary_folder folder;
    auto labels = repeated_labels();
    labels[5] = 1;
    write_npy(folder.path() / "fog.npy", severity_images(), {10, 32, 32, 3});
    write_npy(folder.path() / "labels.npy", labels, {10});
    const auto message = read_error(folder.path(), "fog");
    CHECK(message.find("row 5") != std::string::npos);
    CHECK(message.find("found 1 instead of 8") != std::string::npos);
}

TEST_CASE("corrupted images name missing file")
{
    temporary_folder folder;
    const auto message = read_error(folder.path(), "snow");
    CHECK(message.find("snow.npy") != std::string::npos);
}
