#include <crimp/engine/dataset.hpp>

#include <crimp/engine/error.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace crimp
{

namespace
{

struct record_layout {
    std::size_t label_bytes;
    int classes;
    int coarse_classes;
};

std::vector<std::uint8_t> read_whole_file(const std::filesystem::path &file)
{
    std::error_code status;
    if (!std::filesystem::is_regular_file(file, status)) {
        throw input_error("missing data file '" + file.string()
                          + "': download CIFAR with scripts/download_cifar.sh or pass --data-dir");
    }
    std::ifstream stream(file, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    if (!stream.good() && !stream.eof()) {
        throw input_error("failed to read '" + file.string() + "'");
    }
    return bytes;
}

image_set read_records(const std::filesystem::path &file, const record_layout &layout)
{
    const auto bytes = read_whole_file(file);
    const std::size_t record_bytes = layout.label_bytes + image_bytes;
    if (bytes.empty() || bytes.size() % record_bytes != 0) {
        std::ostringstream message;
        message << "invalid CIFAR file '" << file.string() << "': expected a whole number of " << record_bytes
                << "-byte records, found " << bytes.size() << " bytes (" << bytes.size() / record_bytes
                << " records and " << bytes.size() % record_bytes << " bytes left over)";
        throw input_error(message.str());
    }

    const std::size_t count = bytes.size() / record_bytes;
    image_set images;
    images.classes = layout.classes;
    images.pixels.resize(count * image_bytes);
    images.labels.resize(count);
    if (layout.coarse_classes > 0) {
        images.coarse_labels.resize(count);
    }

    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t *record = bytes.data() + i * record_bytes;
        const int label = record[layout.label_bytes - 1];
        if (label >= layout.classes) {
            std::ostringstream message;
            message << "invalid label in '" << file.string() << "', record " << i << ": expected 0 to "
                    << layout.classes - 1 << ", found " << label;
            throw input_error(message.str());
        }
        if (layout.coarse_classes > 0) {
            const int coarse = record[0];
            if (coarse >= layout.coarse_classes) {
                std::ostringstream message;
                message << "invalid coarse label in '" << file.string() << "', record " << i << ": expected 0 to "
                        << layout.coarse_classes - 1 << ", found " << coarse;
                throw input_error(message.str());
            }
            images.coarse_labels[i] = coarse;
        }
        images.labels[i] = label;
        std::copy(record + layout.label_bytes, record + record_bytes, images.pixels.begin() + i * image_bytes);
    }
    return images;
}

void append(image_set &target, image_set &&source)
{
    target.classes = source.classes;
    target.pixels.insert(target.pixels.end(), source.pixels.begin(), source.pixels.end());
    target.labels.insert(target.labels.end(), source.labels.begin(), source.labels.end());
    target.coarse_labels.insert(target.coarse_labels.end(), source.coarse_labels.begin(), source.coarse_labels.end());
}

} // namespace

dataset_kind parse_dataset(const std::string &name)
{
    if (name == "cifar10") {
        return dataset_kind::cifar10;
    }
    if (name == "cifar100") {
        return dataset_kind::cifar100;
    }
    throw usage_error("invalid dataset '" + name + "': expected cifar10 or cifar100");
}

std::string to_string(dataset_kind kind)
{
    return kind == dataset_kind::cifar10 ? "cifar10" : "cifar100";
}

split_kind parse_split(const std::string &name)
{
    if (name == "train") {
        return split_kind::train;
    }
    if (name == "validation") {
        return split_kind::validation;
    }
    if (name == "test") {
        return split_kind::test;
    }
    throw usage_error("invalid split '" + name + "': expected train, validation or test");
}

std::string to_string(split_kind kind)
{
    switch (kind) {
    case split_kind::train:
        return "train";
    case split_kind::validation:
        return "validation";
    case split_kind::test:
        break;
    }
    return "test";
}

int class_count(dataset_kind kind)
{
    return kind == dataset_kind::cifar10 ? 10 : 100;
}

normalisation dataset_normalisation(dataset_kind kind)
{
    // Channel statistics of the 50,000 training images of each dataset, as commonly used for CIFAR.
    if (kind == dataset_kind::cifar10) {
        return {{0.4914F, 0.4822F, 0.4465F}, {0.2470F, 0.2435F, 0.2616F}};
    }
    return {{0.5071F, 0.4865F, 0.4409F}, {0.2673F, 0.2564F, 0.2762F}};
}

std::filesystem::path resolve_data_dir(const std::string &option)
{
    if (!option.empty()) {
        return option;
    }
    if (const char *environment = std::getenv("CRIMP_DATA"); environment != nullptr && *environment != '\0') {
        return environment;
    }
    return "data";
}

image_set read_cifar10_file(const std::filesystem::path &file)
{
    return read_records(file, {1, 10, 0});
}

image_set read_cifar100_file(const std::filesystem::path &file)
{
    return read_records(file, {2, 100, 20});
}

image_set load_cifar(dataset_kind kind, const std::filesystem::path &data_dir, bool test_file)
{
    if (kind == dataset_kind::cifar100) {
        const auto folder = data_dir / "cifar-100-binary";
        return read_cifar100_file(folder / (test_file ? "test.bin" : "train.bin"));
    }

    const auto folder = data_dir / "cifar-10-batches-bin";
    if (test_file) {
        return read_cifar10_file(folder / "test_batch.bin");
    }
    image_set images;
    for (int batch = 1; batch <= 5; ++batch) {
        append(images, read_cifar10_file(folder / ("data_batch_" + std::to_string(batch) + ".bin")));
    }
    return images;
}

image_set select(const image_set &images, const std::vector<std::size_t> &indices)
{
    image_set selected;
    selected.classes = images.classes;
    selected.pixels.resize(indices.size() * image_bytes);
    selected.labels.reserve(indices.size());
    for (std::size_t i = 0; i < indices.size(); ++i) {
        const std::size_t source = indices[i];
        std::copy_n(images.pixels.begin() + source * image_bytes, image_bytes, selected.pixels.begin() + i * image_bytes);
        selected.labels.push_back(images.labels[source]);
        if (!images.coarse_labels.empty()) {
            selected.coarse_labels.push_back(images.coarse_labels[source]);
        }
    }
    return selected;
}

} // namespace crimp
