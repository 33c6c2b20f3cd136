#pragma once

#include <crimp/compression/compressed_model.hpp>

#include <cstddef>

namespace crimp::compression
{

struct size_report {
    // Bytes of the packed file, and of the baseline packed with float32 weights.
    std::size_t packed_bytes = 0;
    std::size_t baseline_packed_bytes = 0;
    // baseline_packed_bytes / packed_bytes.
    double compression_ratio = 0.0;
    // zlib (level 6) bytes of the dense weights in their deployed precision, as the reference study
    // measured size: 8-bit integers for layers stored in 8 bits or fewer, float32 otherwise, plus the
    // float32 biases and batch norm tensors.
    std::size_t deflate_bytes = 0;
    std::size_t baseline_deflate_bytes = 0;
    double deflate_ratio = 0.0;
};

// zlib level 6 size of the model's dense weights in their deployed precision.
std::size_t deflated_size(const compressed_model &compressed);

// Packed and deflated sizes of the uncompressed float32 baseline (see `uncompressed`), measured once and
// reused for every compressed model of that baseline.
struct baseline_sizes {
    std::size_t packed_bytes = 0;
    std::size_t deflate_bytes = 0;
};

baseline_sizes measure_baseline_sizes(const compressed_model &baseline);

// Sizes of a compressed model whose packed file has `packed_bytes` bytes, against its baseline.
size_report measure_sizes(const compressed_model &compressed, std::size_t packed_bytes, const baseline_sizes &baseline);

} // namespace crimp::compression
