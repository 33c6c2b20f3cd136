#include <crimp/compression/size_metrics.hpp>

#include <crimp/compression/packed_format.hpp>
#include <crimp/engine/error.hpp>

#include <zlib.h>

#include <cstring>

namespace crimp::compression
{

namespace
{

void append(std::vector<std::uint8_t> &bytes, const torch::Tensor &tensor)
{
    const auto contiguous = tensor.detach().cpu().contiguous();
    const auto size = static_cast<std::size_t>(contiguous.numel()) * contiguous.element_size();
    const auto *data = static_cast<const std::uint8_t *>(contiguous.data_ptr());
    bytes.insert(bytes.end(), data, data + size);
}

std::size_t zlib_size(const std::vector<std::uint8_t> &bytes)
{
    uLongf size = compressBound(static_cast<uLong>(bytes.size()));
    std::vector<Bytef> output(size);
    if (compress2(output.data(), &size, bytes.data(), static_cast<uLong>(bytes.size()), 6) != Z_OK) {
        throw std::runtime_error("zlib failed to compress " + std::to_string(bytes.size()) + " bytes");
    }
    return size;
}

} // namespace

std::size_t deflated_size(const compressed_model &compressed)
{
    std::vector<std::uint8_t> bytes;
    for (const auto &layer : compressed.layers) {
        const auto integers = deployed_integer_weights(layer);
        append(bytes, integers.defined() ? integers : decode_weight(layer));
    }
    for (const auto &tensor : float_tensors(*compressed.model)) {
        append(bytes, tensor.to(torch::kFloat32));
    }
    return zlib_size(bytes);
}

baseline_sizes measure_baseline_sizes(const compressed_model &baseline)
{
    return {pack(baseline).size(), deflated_size(baseline)};
}

size_report measure_sizes(const compressed_model &compressed, std::size_t packed_bytes, const baseline_sizes &baseline)
{
    size_report report;
    report.packed_bytes = packed_bytes;
    report.baseline_packed_bytes = baseline.packed_bytes;
    report.compression_ratio = static_cast<double>(report.baseline_packed_bytes) / static_cast<double>(report.packed_bytes);
    report.deflate_bytes = deflated_size(compressed);
    report.baseline_deflate_bytes = baseline.deflate_bytes;
    report.deflate_ratio = static_cast<double>(report.baseline_deflate_bytes) / static_cast<double>(report.deflate_bytes);
    return report;
}

} // namespace crimp::compression
