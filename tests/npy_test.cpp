#include "test_support.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/engine/npy.hpp>

#include <doctest/doctest.h>

using namespace crimp;
using crimp::testing::temporary_folder;

namespace
{

// Builds an .npy file by hand: magic, version, little-endian header length of 2 (version 1) or
// 4 bytes (versions 2 and 3), the header text (padded with spaces to `header_size` when given), data.
std::string npy_bytes(int major, const std::string &dict, const std::string &data, std::size_t header_size = 0)
{
    std::string header = dict;
    if (header_size > header.size() + 1) {
        header.append(header_size - header.size() - 1, ' ');
    }
    header.push_back('\n');
    std::string bytes = "\x93NUMPY";
    bytes.push_back(static_cast<char>(major));
    bytes.push_back('\0');
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    for (std::size_t i = 0; i < length_bytes; ++i) {
        bytes.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
    }
    return bytes + header + data;
}

std::string read_error(const std::filesystem::path &file)
{
    try {
        read_npy(file);
    } catch (const input_error &error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST_CASE("npy reads every format version")
{
    temporary_folder folder;
    const std::string dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }";
    const std::string data = "\x01\x02\x03\x04\x05\x06";
    for (const int major : {1, 2, 3}) {
        CAPTURE(major);
        const auto file = folder.path() / ("v" + std::to_string(major) + ".npy");
        crimp::testing::write_bytes(file, npy_bytes(major, dict, data));
        const auto array = read_npy(file);
        CHECK(array.shape == std::vector<std::size_t>{2, 3});
        CHECK(array.descr == "|u1");
        CHECK(array.data == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6});
    }
}

TEST_CASE("npy reads long unaligned header")
{
    temporary_folder folder;
    const auto file = folder.path() / "long.npy";
    // 70001 header bytes need format 2.0 and leave the data at an odd offset.
    crimp::testing::write_bytes(
        file, npy_bytes(2, "{'shape': (3,), 'fortran_order': False, 'descr': '<i2'}", std::string("\x01\x00\xff\xff\x00\x01", 6), 70001));
    const auto array = read_npy(file);
    CHECK(npy_to_int64(array, file) == std::vector<std::int64_t>{1, -1, 256});
}

TEST_CASE("npy converts big-endian integers")
{
    temporary_folder folder;
    const auto file = folder.path() / "big.npy";
    const std::string data("\x00\x00\x00\x00\x00\x00\x00\x07\xff\xff\xff\xff\xff\xff\xff\xfe", 16);
    crimp::testing::write_bytes(file, npy_bytes(1, "{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", data));
    const auto array = read_npy(file);
    CHECK(array.descr == "<i8");
    CHECK(npy_to_int64(array, file) == std::vector<std::int64_t>{7, -2});
}

TEST_CASE("npy transposes fortran order")
{
    temporary_folder folder;
    const auto file = folder.path() / "fortran.npy";
    // The 2×3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
    crimp::testing::write_bytes(file, npy_bytes(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }",
                                                "\x01\x04\x02\x05\x03\x06"));
    const auto array = read_npy(file);
    CHECK(array.data == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("npy round trip through writer")
{
    temporary_folder folder;
    const auto bytes_file = folder.path() / "bytes.npy";
    const auto labels_file = folder.path() / "labels.npy";
    write_npy(bytes_file, std::vector<std::uint8_t>{9, 8, 7, 6}, {2, 2});
    write_npy(labels_file, std::vector<std::int64_t>{3, -4, 5}, {3});

    const auto bytes = read_npy(bytes_file);
    CHECK(bytes.shape == std::vector<std::size_t>{2, 2});
    CHECK(bytes.data == std::vector<std::uint8_t>{9, 8, 7, 6});
    CHECK(npy_to_int64(read_npy(labels_file), labels_file) == std::vector<std::int64_t>{3, -4, 5});
}

TEST_CASE("npy rejects malformed files")
{
    temporary_folder folder;
    struct bad_case {
        const char *name;
        std::string bytes;
        const char *expected;
    };
    const std::string good_dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }";
    const bad_case cases[] = {
        {"magic.npy", "NUMPY\x01\x00", "magic"},
        {"version.npy", npy_bytes(4, good_dict, "abcd"), "format version 4.0"},
        {"short_data.npy", npy_bytes(1, good_dict, "abc"), "need 4 data bytes, found 3"},
        {"object.npy", npy_bytes(1, "{'descr': '|O', 'fortran_order': False, 'shape': (4,), }", "abcd"), "'|O'"},
        {"structured.npy", npy_bytes(1, "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", "abcd"),
         "structured"},
        {"no_shape.npy", npy_bytes(1, "{'descr': '|u1', 'fortran_order': False, }", "abcd"), "'shape'"},
        {"cut_header.npy", npy_bytes(1, good_dict, "").substr(0, 20), "ends inside the header"},
    };
    for (const auto &entry : cases) {
        CAPTURE(entry.name);
        const auto file = folder.path() / entry.name;
        crimp::testing::write_bytes(file, entry.bytes);
        const auto message = read_error(file);
        CHECK(message.find(entry.name) != std::string::npos);
        CHECK(message.find(entry.expected) != std::string::npos);
    }
}

TEST_CASE("npy integer conversion rejects floats")
{
    temporary_folder folder;
    const auto file = folder.path() / "floats.npy";
    crimp::testing::write_bytes(file, npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                                                std::string(4, '\0')));
    CHECK_THROWS_AS(npy_to_int64(read_npy(file), file), input_error);
}
