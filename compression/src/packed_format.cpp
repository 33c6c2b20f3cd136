#include <crimp/compression/packed_format.hpp>

#include "binary_io.hpp"

#include <crimp/engine/atomic_file.hpp>
#include <crimp/engine/compressible_layers.hpp>
#include <crimp/engine/error.hpp>

#include <nlohmann/json.hpp>
#include <torch/utils.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>

namespace crimp::compression
{

namespace
{

constexpr std::array<std::uint8_t, 8> magic = {0x89, 'C', 'R', 'I', 'M', 'P', '\r', '\n'};
constexpr std::size_t prefix_size = magic.size() + 4 + 4 + 8;

enum class mask_kind : std::uint8_t { none = 0, bitmap = 1, runs = 2 };

[[noreturn]] void invalid(const std::string &source, const std::string &reason)
{
    throw input_error("invalid packed model '" + source + "': " + reason);
}

std::uint32_t checksum(const std::uint8_t *data, std::size_t size)
{
    return static_cast<std::uint32_t>(crc32_z(crc32_z(0L, Z_NULL, 0), data, size));
}

int index_bits(std::int64_t entries)
{
    int bits = 0;
    while ((std::int64_t{1} << bits) < entries) {
        ++bits;
    }
    return bits;
}

// ---- Header ----

nlohmann::json header_of(const compressed_model &compressed)
{
    const auto &metadata = compressed.metadata;
    const auto &settings = compressed.settings;
    return {{"format", "crimp-packed"},
            {"architecture", metadata.architecture},
            {"dataset", to_string(metadata.dataset)},
            {"classes", metadata.classes},
            {"mean", metadata.statistics.mean},
            {"std", metadata.statistics.std},
            {"split",
             {{"seed", metadata.split.seed},
              {"validation_images", metadata.split.validation_images},
              {"train_images", metadata.split.train_images}}},
            {"genome",
             {{"sparsity", settings.sparsity},
              {"bits", settings.bits},
              {"clusters", settings.clusters},
              {"route", to_string(settings.route)},
              {"full_integer", settings.full_integer},
              {"finetune_epochs", settings.finetune_epochs}}}};
}

void read_header(const nlohmann::json &header, compressed_model &compressed, const std::string &source)
{
    try {
        if (header.at("format").get<std::string>() != "crimp-packed") {
            invalid(source, "the header's format is not crimp-packed");
        }
        auto &metadata = compressed.metadata;
        metadata.architecture = header.at("architecture").get<std::string>();
        metadata.dataset = parse_dataset(header.at("dataset").get<std::string>());
        metadata.classes = header.at("classes").get<int>();
        metadata.statistics.mean = header.at("mean").get<std::array<float, 3>>();
        metadata.statistics.std = header.at("std").get<std::array<float, 3>>();
        const auto &split = header.at("split");
        metadata.split.seed = split.at("seed").get<std::uint64_t>();
        metadata.split.validation_images = split.at("validation_images").get<std::size_t>();
        metadata.split.train_images = split.at("train_images").get<std::size_t>();

        const auto &entry = header.at("genome");
        auto &settings = compressed.settings;
        settings.sparsity = entry.at("sparsity").get<double>();
        settings.bits = entry.at("bits").get<int>();
        settings.clusters = entry.at("clusters").get<int>();
        settings.route = parse_route(entry.at("route").get<std::string>());
        settings.full_integer = entry.at("full_integer").get<bool>();
        settings.finetune_epochs = entry.at("finetune_epochs").get<int>();
        validate(settings);
        compressed.model = make_classifier(metadata.architecture, metadata.classes);
    } catch (const nlohmann::json::exception &error) {
        invalid(source, std::string("malformed header: ") + error.what());
    } catch (const usage_error &error) {
        invalid(source, error.what());
    }
}

// ---- Masks ----

std::vector<std::uint64_t> run_lengths(const torch::Tensor &mask)
{
    const auto flags = mask.contiguous();
    const auto *data = flags.data_ptr<bool>();
    std::vector<std::uint64_t> runs;
    bool current = false; // Runs start with pruned weights.
    std::uint64_t length = 0;
    for (std::int64_t i = 0; i < flags.numel(); ++i) {
        if (data[i] != current) {
            runs.push_back(length);
            current = data[i];
            length = 0;
        }
        ++length;
    }
    runs.push_back(length);
    return runs;
}

void write_mask(binary::writer &out, const torch::Tensor &mask)
{
    binary::writer runs;
    for (const auto length : run_lengths(mask)) {
        runs.varint(length);
    }
    const std::size_t bitmap_bytes = (static_cast<std::size_t>(mask.numel()) + 7) / 8;
    if (4 + runs.buffer().size() < bitmap_bytes) {
        out.u32(static_cast<std::uint32_t>(runs.buffer().size()));
        out.bytes(runs.buffer().data(), runs.buffer().size());
        return;
    }
    const auto flags = mask.contiguous();
    const auto *data = flags.data_ptr<bool>();
    out.packed(std::vector<std::uint32_t>(data, data + flags.numel()), 1);
}

torch::Tensor read_mask(binary::reader &in, mask_kind kind, std::int64_t count)
{
    auto mask = torch::zeros({count}, torch::kBool);
    auto *data = mask.data_ptr<bool>();
    if (kind == mask_kind::bitmap) {
        const auto bits = in.packed(static_cast<std::size_t>(count), 1);
        std::copy(bits.begin(), bits.end(), data);
        return mask;
    }

    const std::uint32_t size = in.u32();
    binary::reader runs(in.bytes(size), size, in.source());
    std::int64_t position = 0;
    bool kept = false;
    while (runs.remaining() > 0) {
        const std::uint64_t run = runs.varint();
        if (run > static_cast<std::uint64_t>(count - position)) {
            invalid(in.source(), "a run-length mask covers more weights than its layer holds");
        }
        const auto length = static_cast<std::int64_t>(run);
        std::fill(data + position, data + position + length, kept);
        position += length;
        kept = !kept;
    }
    if (position != count) {
        invalid(in.source(), "a run-length mask covers " + std::to_string(position) + " of "
                                 + std::to_string(count) + " weights");
    }
    return mask;
}

// ---- Layer records ----

std::vector<std::uint32_t> offset_codes(const torch::Tensor &codes, std::int64_t offset)
{
    const auto shifted = (codes.to(torch::kInt64) + offset).contiguous();
    const auto *data = shifted.data_ptr<std::int64_t>();
    return {data, data + shifted.numel()};
}

torch::Tensor codes_tensor(const std::vector<std::uint32_t> &values, std::int64_t offset)
{
    auto codes = torch::empty({static_cast<std::int64_t>(values.size())}, torch::kInt64);
    auto *data = codes.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < values.size(); ++i) {
        data[i] = static_cast<std::int64_t>(values[i]) - offset;
    }
    return codes;
}

void write_floats(binary::writer &out, const torch::Tensor &values)
{
    const auto floats = values.detach().to(torch::kFloat32).contiguous();
    const auto *data = floats.data_ptr<float>();
    for (std::int64_t i = 0; i < floats.numel(); ++i) {
        out.f32(data[i]);
    }
}

torch::Tensor read_floats(binary::reader &in, std::int64_t count)
{
    auto values = torch::empty({count}, torch::kFloat32);
    auto *data = values.data_ptr<float>();
    for (std::int64_t i = 0; i < count; ++i) {
        data[i] = in.f32();
    }
    return values;
}

void write_layer(binary::writer &out, const encoded_layer &layer)
{
    mask_kind kind = mask_kind::none;
    binary::writer mask_bytes;
    if (layer.mask.defined()) {
        write_mask(mask_bytes, layer.mask);
        const bool bitmap = mask_bytes.buffer().size() == (static_cast<std::size_t>(layer.mask.numel()) + 7) / 8;
        kind = bitmap ? mask_kind::bitmap : mask_kind::runs;
    }
    out.u8(static_cast<std::uint8_t>(layer.encoding));
    out.u8(static_cast<std::uint8_t>(kind));
    out.u8(static_cast<std::uint8_t>(layer.bits));
    out.u8(layer.input.enabled() ? 1 : 0);
    out.u32(static_cast<std::uint32_t>(layer.kept_count()));
    out.bytes(mask_bytes.buffer().data(), mask_bytes.buffer().size());

    switch (layer.encoding) {
    case weight_encoding::float32:
        write_floats(out, layer.values);
        break;
    case weight_encoding::codebook:
        out.u16(static_cast<std::uint16_t>(layer.centroids.numel()));
        if (layer.bits < 32) {
            out.f32(layer.scales.item<float>());
        }
        write_floats(out, layer.centroids);
        out.packed(offset_codes(layer.codes, 0), index_bits(layer.centroids.numel()));
        break;
    case weight_encoding::uniform:
        write_floats(out, layer.scales);
        out.packed(offset_codes(layer.codes, largest_code(layer.bits)), layer.bits);
        break;
    }

    if (layer.input.enabled()) {
        out.f32(layer.input.scale);
        out.i32(layer.input.zero_point);
    }
}

encoded_layer read_layer(binary::reader &in, const compressible_layer &target)
{
    const std::string &source = in.source();
    encoded_layer layer;
    layer.name = target.name;
    layer.shape = target.weight.sizes().vec();
    const std::int64_t count = layer.weight_count();

    const auto encoding = in.u8();
    const auto kind = in.u8();
    layer.bits = in.u8();
    const bool has_quantizer = in.u8() != 0;
    const std::int64_t kept = in.u32();
    const bool valid_bits = (layer.bits >= 2 && layer.bits <= 8) || layer.bits == 32;
    if (encoding > 2 || kind > 2 || kept > count || !valid_bits) {
        invalid(source, "the record of layer " + target.name + " is malformed");
    }
    layer.encoding = static_cast<weight_encoding>(encoding);
    if (kind != static_cast<std::uint8_t>(mask_kind::none)) {
        layer.mask = read_mask(in, static_cast<mask_kind>(kind), count);
    }
    if (layer.kept_count() != kept) {
        invalid(source, "the mask of layer " + target.name + " keeps " + std::to_string(layer.kept_count())
                            + " weights but the record says " + std::to_string(kept));
    }

    switch (layer.encoding) {
    case weight_encoding::float32:
        layer.values = read_floats(in, kept);
        break;
    case weight_encoding::codebook: {
        const std::int64_t entries = in.u16();
        if (layer.bits < 32) {
            layer.scales = torch::full({1}, in.f32(), torch::kFloat32);
        }
        layer.centroids = read_floats(in, entries);
        layer.codes = codes_tensor(in.packed(static_cast<std::size_t>(kept), index_bits(entries)), 0);
        if (kept > 0 && (entries == 0 || layer.codes.max().item<std::int64_t>() >= entries)) {
            invalid(source, "a codebook index of layer " + target.name + " lies outside its table");
        }
        break;
    }
    case weight_encoding::uniform:
        if (layer.bits < 2 || layer.bits > 8) {
            invalid(source, "layer " + target.name + " has " + std::to_string(layer.bits) + "-bit codes");
        }
        layer.scales = read_floats(in, layer.shape[0]);
        layer.codes = codes_tensor(in.packed(static_cast<std::size_t>(kept), layer.bits), largest_code(layer.bits));
        break;
    }

    if (has_quantizer) {
        layer.input.scale = in.f32();
        layer.input.zero_point = in.i32();
    }
    return layer;
}

// ---- Body ----

std::vector<std::uint8_t> body_of(const compressed_model &compressed)
{
    binary::writer body;
    const std::string header = header_of(compressed).dump();
    body.u32(static_cast<std::uint32_t>(header.size()));
    body.text(header);
    for (const auto &layer : compressed.layers) {
        write_layer(body, layer);
    }
    for (const auto &tensor : float_tensors(*compressed.model)) {
        write_floats(body, tensor.cpu());
    }
    return std::move(body.buffer());
}

} // namespace

std::vector<std::uint8_t> pack(const compressed_model &compressed)
{
    const auto body = body_of(compressed);
    binary::writer file;
    file.bytes(magic.data(), magic.size());
    file.u32(packed_format_version);
    file.u32(checksum(body.data(), body.size()));
    file.u64(body.size());
    file.bytes(body.data(), body.size());
    return std::move(file.buffer());
}

compressed_model unpack(const std::vector<std::uint8_t> &bytes, const std::string &source)
{
    torch::NoGradGuard no_grad;
    if (bytes.size() < magic.size() || !std::equal(magic.begin(), magic.end(), bytes.begin())) {
        invalid(source, "it does not start with the packed model magic; write one with `crimp compress`");
    }
    binary::reader prefix(bytes.data(), bytes.size(), source);
    prefix.bytes(magic.size());
    const std::uint32_t version = prefix.u32();
    if (version != packed_format_version) {
        invalid(source, "unknown format version " + std::to_string(version) + "; this crimp reads version "
                            + std::to_string(packed_format_version));
    }
    const std::uint32_t expected_checksum = prefix.u32();
    const std::uint64_t body_size = prefix.u64();
    if (body_size > prefix.remaining()) {
        throw input_error("truncated packed model '" + source + "': the body should be " + std::to_string(body_size)
                          + " bytes but " + std::to_string(prefix.remaining())
                          + " follow the header; write the file again with `crimp compress`");
    }
    if (body_size < prefix.remaining()) {
        invalid(source, std::to_string(prefix.remaining() - body_size) + " unexpected bytes follow the body");
    }
    const std::uint8_t *body_data = bytes.data() + prefix_size;
    const std::uint32_t actual_checksum = checksum(body_data, body_size);
    if (actual_checksum != expected_checksum) {
        invalid(source, "checksum mismatch (stored " + std::to_string(expected_checksum) + ", computed "
                            + std::to_string(actual_checksum) + "): the file is corrupted");
    }

    binary::reader body(body_data, body_size, source);
    const std::uint32_t header_size = body.u32();
    compressed_model compressed;
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(body.text(header_size));
    } catch (const nlohmann::json::parse_error &error) {
        invalid(source, std::string("the header is not JSON: ") + error.what());
    }
    read_header(header, compressed, source);

    for (const auto &target : compressible_layers(*compressed.model)) {
        compressed.layers.push_back(read_layer(body, target));
    }
    for (auto &tensor : float_tensors(*compressed.model)) {
        tensor.copy_(read_floats(body, tensor.numel()).reshape(tensor.sizes()));
    }
    if (body.remaining() != 0) {
        invalid(source, std::to_string(body.remaining()) + " unexpected bytes follow the last tensor");
    }
    apply_encoding(compressed);
    return compressed;
}

void write_packed(const std::filesystem::path &file, const compressed_model &compressed)
{
    write_file_atomically(file, pack(compressed));
}

compressed_model read_packed(const std::filesystem::path &file)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream) {
        throw input_error("packed model '" + file.string() + "' not found: write one with `crimp compress`");
    }
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
    return unpack(bytes, file.string());
}

bool is_packed_file(const std::filesystem::path &file)
{
    std::ifstream stream(file, std::ios::binary);
    std::array<char, magic.size()> start{};
    stream.read(start.data(), start.size());
    return stream.gcount() == static_cast<std::streamsize>(magic.size())
           && std::equal(magic.begin(), magic.end(), start.begin(),
                         [](std::uint8_t expected, char actual) { return expected == static_cast<std::uint8_t>(actual); });
}

} // namespace crimp::compression
