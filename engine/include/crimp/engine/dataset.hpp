#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp
{

enum class dataset_kind { cifar10, cifar100 };

enum class split_kind { train, validation, test };

inline constexpr int image_side = 32;
inline constexpr int image_channels = 3;
inline constexpr std::size_t image_bytes = image_channels * image_side * image_side;

// Images in the CIFAR binary pixel order: for each image the 1024 red bytes, then green, then blue,
// rows top to bottom (channel-major, the layout LibTorch calls NCHW).
struct image_set {
    std::vector<std::uint8_t> pixels;
    // Class labels used for training: the only label of CIFAR-10, the fine label of CIFAR-100.
    std::vector<std::int64_t> labels;
    // CIFAR-100's 20 superclass labels; empty for CIFAR-10.
    std::vector<std::int64_t> coarse_labels;
    int classes = 0;

    std::size_t size() const { return labels.size(); }
};

// Per-channel mean and standard deviation of a dataset's training images, on the [0, 1] scale.
struct normalisation {
    std::array<float, 3> mean{};
    std::array<float, 3> std{};
};

dataset_kind parse_dataset(const std::string &name);
std::string to_string(dataset_kind kind);
split_kind parse_split(const std::string &name);
std::string to_string(split_kind kind);
int class_count(dataset_kind kind);
normalisation dataset_normalisation(dataset_kind kind);

// Resolves the data folder: the explicit option if not empty, else $CRIMP_DATA, else "data".
std::filesystem::path resolve_data_dir(const std::string &option);

// Reads one CIFAR-10 binary file: records of 1 label byte and 3072 pixel bytes.
image_set read_cifar10_file(const std::filesystem::path &file);

// Reads one CIFAR-100 binary file: records of 1 coarse label byte, 1 fine label byte and 3072 pixel bytes.
image_set read_cifar100_file(const std::filesystem::path &file);

// Reads the training files (all five batches for CIFAR-10) or the test file of a dataset from the
// folder that the official archive unpacks to (cifar-10-batches-bin or cifar-100-binary) inside data_dir.
image_set load_cifar(dataset_kind kind, const std::filesystem::path &data_dir, bool test_file);

// Copies the images and labels at the given positions, in that order.
image_set select(const image_set &images, const std::vector<std::size_t> &indices);

} // namespace crimp
