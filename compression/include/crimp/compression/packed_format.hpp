#pragma once

// The packed model file (.crimp), version 1. All numbers are little-endian.
//
//   magic "\x89CRIMP\r\n" (8 bytes) | version u32 | CRC-32 of the body u32 | body length u64 | body
//
// The body is a JSON header (u32 length, then UTF-8: architecture, dataset, classes, normalisation,
// validation split and genome), then one record per convolution or linear weight in model order:
//
//   encoding u8 | mask kind u8 (0 none, 1 bitmap, 2 run lengths) | bits u8 | has input quantizer u8 |
//   kept weights u32 | mask | values | [input scale f32, zero point i32]
//
// A bitmap mask is one bit per weight (1 = kept), least significant bit first; a run-length mask is
// its byte length (u32) then LEB128 varints of alternating runs, pruned first. The writer picks the
// smaller. Values are float32 per kept weight; or a codebook: entry count u16, [grid step f32 when bits
// < 32], float32 entries, then ceil(log2 entries) bits per kept weight; or uniform codes: float32 step
// per output channel, then code + 2^(bits−1) − 1 in `bits` bits per kept weight. Bit streams are padded
// to whole bytes. The records are followed by every other float tensor of the model (biases and batch
// norm parameters and statistics) as float32, in the order of the model's parameters then buffers.

#include <crimp/compression/compressed_model.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp::compression
{

constexpr std::uint32_t packed_format_version = 1;

// The bytes of the packed file of a compressed model.
std::vector<std::uint8_t> pack(const compressed_model &compressed);

// Rebuilds the model from packed bytes; its weights equal the packed model's exactly. Raises
// input_error naming `source` for a wrong magic, an unknown version, a wrong checksum, a truncated
// body or records that do not fit the architecture.
compressed_model unpack(const std::vector<std::uint8_t> &bytes, const std::string &source);

// Writes the packed file beside `file`, flushes it to disk and renames it into place, so a crash leaves
// either the old file or the whole new one.
void write_packed(const std::filesystem::path &file, const compressed_model &compressed);

compressed_model read_packed(const std::filesystem::path &file);

// Whether the file starts with the packed magic.
bool is_packed_file(const std::filesystem::path &file);

} // namespace crimp::compression
