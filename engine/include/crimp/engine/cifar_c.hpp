#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp
{

inline constexpr int corruption_severities = 5;

// One corruption of a CIFAR-10-C style folder: images_per_severity images at each of the five
// severities, severity-major, each image height × width × RGB (the NHWC layout of the .npy files).
struct corrupted_images {
    std::string corruption;
    std::size_t images_per_severity = 0;
    std::vector<std::uint8_t> pixels;
    // The labels of one severity block, which labels.npy repeats for every severity.
    std::vector<std::int64_t> labels;
};

// Reads DIR/<corruption>.npy (uint8, shape (5·N, 32, 32, 3)) and DIR/labels.npy (integers, 5·N rows, the
// same N labels repeated for each severity). Raises input_error naming the file and the mismatch.
corrupted_images read_corrupted_images(const std::filesystem::path &folder, const std::string &corruption);

} // namespace crimp
