#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp
{

// A NumPy array read from an .npy file, converted to C order and the machine's little-endian byte order.
struct npy_array {
    // The dtype as written in the file's header, e.g. "|u1" or ">i8".
    std::string descr;
    // 'u' unsigned integer, 'i' signed integer, 'f' floating point, 'b' boolean.
    char kind = 'u';
    std::size_t item_size = 1;
    std::vector<std::size_t> shape;
    std::vector<std::uint8_t> data;

    std::size_t element_count() const;
};

// Reads an .npy file of format version 1.0, 2.0 or 3.0 with a numeric dtype of either byte order.
// Fortran-ordered arrays are transposed to C order. Object and structured dtypes raise input_error.
npy_array read_npy(const std::filesystem::path &file);

// Converts an integer array to int64 values; raises input_error naming the file for other kinds.
std::vector<std::int64_t> npy_to_int64(const npy_array &array, const std::filesystem::path &file);

// Writes a C-ordered uint8 or little-endian int64 array as an .npy file of format version 1.0.
void write_npy(const std::filesystem::path &file, const std::vector<std::uint8_t> &values,
               const std::vector<std::size_t> &shape);
void write_npy(const std::filesystem::path &file, const std::vector<std::int64_t> &values,
               const std::vector<std::size_t> &shape);

} // namespace crimp
