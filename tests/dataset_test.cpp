#include "test_support.hpp"

#include <crimp/engine/dataset.hpp>
#include <crimp/engine/error.hpp>

#include <doctest/doctest.h>

#include <cstdlib>

using namespace crimp;
using crimp::testing::temporary_folder;

namespace
{

std::string error_message(const std::function<void()> &action)
{
    try {
        action();
    } catch (const input_error &error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST_CASE("cifar10 reader parses records")
{
    temporary_folder folder;
    const auto file = folder.path() / "batch.bin";
    crimp::testing::write_bytes(file, crimp::testing::cifar10_record(3, 7) + crimp::testing::cifar10_record(9, 200));

    const auto images = read_cifar10_file(file);
    REQUIRE(images.size() == 2);
    CHECK(images.classes == 10);
    CHECK(images.labels[0] == 3);
    CHECK(images.labels[1] == 9);
    CHECK(images.pixels.size() == 2 * image_bytes);
    CHECK(images.pixels[0] == 7);
    CHECK(images.pixels[image_bytes] == 200);
    CHECK(images.coarse_labels.empty());
}

TEST_CASE("cifar10 reader rejects partial record")
{
    temporary_folder folder;
    const auto file = folder.path() / "truncated.bin";
    crimp::testing::write_bytes(file, crimp::testing::cifar10_record(1, 0) + "abc");

    const auto message = error_message([&] { read_cifar10_file(file); });
    CHECK(message.find("truncated.bin") != std::string::npos);
    CHECK(message.find("3073-byte records") != std::string::npos);
    CHECK(message.find("3076 bytes") != std::string::npos);
}

TEST_CASE("cifar10 reader rejects label out of range")
{
    temporary_folder folder;
    const auto file = folder.path() / "bad_label.bin";
    crimp::testing::write_bytes(file, crimp::testing::cifar10_record(2, 0) + crimp::testing::cifar10_record(10, 0));

    const auto message = error_message([&] { read_cifar10_file(file); });
    CHECK(message.find("bad_label.bin") != std::string::npos);
    CHECK(message.find("record 1") != std::string::npos);
    CHECK(message.find("expected 0 to 9, found 10") != std::string::npos);
}

TEST_CASE("cifar10 reader names missing file")
{
    const auto message = error_message([] { read_cifar10_file("/nonexistent/data_batch_1.bin"); });
    CHECK(message.find("/nonexistent/data_batch_1.bin") != std::string::npos);
    CHECK(message.find("download_cifar.sh") != std::string::npos);
}

TEST_CASE("cifar100 reader keeps coarse and fine labels")
{
    temporary_folder folder;
    const auto binary = folder.path() / "cifar-100-binary";
    std::filesystem::create_directories(binary);
    std::string records;
    for (int i = 0; i < 3; ++i) {
        std::string record(2 + image_bytes, static_cast<char>(i));
        record[0] = static_cast<char>(19 - i);
        record[1] = static_cast<char>(99 - i);
        records += record;
    }
    crimp::testing::write_bytes(binary / "test.bin", records);

    const auto images = load_cifar(dataset_kind::cifar100, folder.path(), /*test_file=*/true);
    REQUIRE(images.size() == 3);
    CHECK(images.classes == 100);
    CHECK(images.labels == std::vector<std::int64_t>{99, 98, 97});
    CHECK(images.coarse_labels == std::vector<std::int64_t>{19, 18, 17});
    CHECK(images.pixels[2 * image_bytes] == 2);
}

TEST_CASE("cifar100 reader rejects coarse label out of range")
{
    temporary_folder folder;
    const auto file = folder.path() / "train.bin";
    std::string record(2 + image_bytes, '\0');
    record[0] = 20;
    crimp::testing::write_bytes(file, record);

    const auto message = error_message([&] { read_cifar100_file(file); });
    CHECK(message.find("coarse label") != std::string::npos);
    CHECK(message.find("expected 0 to 19, found 20") != std::string::npos);
}

TEST_CASE("cifar100 reader rejects cifar10 sized file")
{
    temporary_folder folder;
    const auto file = folder.path() / "train.bin";
    crimp::testing::write_bytes(file, crimp::testing::cifar10_record(0, 0) + crimp::testing::cifar10_record(0, 0));

    const auto message = error_message([&] { read_cifar100_file(file); });
    CHECK(message.find("3074-byte records") != std::string::npos);
}

TEST_CASE("exact cifar10 test subset starts with a cat")
{
    const auto shared = crimp::testing::shared_dir();
    if (!shared) {
        crimp::testing::skip("shared CIFAR-10 data not found");
        return;
    }
    const auto images = read_cifar10_file(*shared / "data/cifar-10-exact/test_batch.first1000.bin");
    CHECK(images.size() == 1000);
    CHECK(images.labels[0] == 3);
}

TEST_CASE("cifar10 training files load in full")
{
    const auto shared = crimp::testing::shared_dir();
    if (!shared) {
        crimp::testing::skip("shared CIFAR-10 data not found");
        return;
    }
    const auto train = load_cifar(dataset_kind::cifar10, *shared / "data", /*test_file=*/false);
    CHECK(train.size() == 50000);
    std::vector<int> per_class(10, 0);
    for (const auto label : train.labels) {
        ++per_class[static_cast<std::size_t>(label)];
    }
    for (const int count : per_class) {
        CHECK(count == 5000);
    }
}

TEST_CASE("data folder resolution order")
{
    CHECK(resolve_data_dir("explicit") == "explicit");
    setenv("CRIMP_DATA", "/from/environment", 1);
    CHECK(resolve_data_dir("") == "/from/environment");
    CHECK(resolve_data_dir("explicit") == "explicit");
    unsetenv("CRIMP_DATA");
    CHECK(resolve_data_dir("") == "data");
}

TEST_CASE("dataset and split names parse")
{
    CHECK(parse_dataset("cifar10") == dataset_kind::cifar10);
    CHECK(parse_dataset("cifar100") == dataset_kind::cifar100);
    CHECK_THROWS_AS(parse_dataset("mnist"), usage_error);
    CHECK(parse_split("validation") == split_kind::validation);
    CHECK_THROWS_AS(parse_split("dev"), usage_error);
    CHECK(class_count(dataset_kind::cifar100) == 100);
}
