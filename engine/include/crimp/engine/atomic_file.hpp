#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace crimp
{

// Flushes a file's data to the disk (fsync), so that a rename after it never exposes a half-written file
// after a power loss.
void flush_to_disk(const std::filesystem::path &file);

// Writes bytes to FILE.partial, flushes them to the disk and renames the result over `file`, so that a
// crash at any instant leaves either the old file or the whole new one. Raises input_error naming the
// file when writing fails, and removes the partial file.
void write_file_atomically(const std::filesystem::path &file, const std::vector<std::uint8_t> &bytes);

} // namespace crimp
