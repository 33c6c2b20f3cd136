#include "compression_test_support.hpp"
#include "test_support.hpp"

#include <crimp/compression/compressor.hpp>
#include <crimp/compression/model_files.hpp>
#include <crimp/compression/packed_format.hpp>
#include <crimp/compression/size_metrics.hpp>
#include <crimp/engine/compressible_layers.hpp>
#include <crimp/engine/error.hpp>

#include <doctest/doctest.h>
#include <torch/utils.h>

#include <fstream>

using namespace crimp;
using namespace crimp::compression;
using crimp::testing::random_images;
using crimp::testing::random_resnet20;
using crimp::testing::temporary_folder;

namespace
{

compressed_model compressed_resnet20(const genome &settings, compression_options options = {})
{
    const auto baseline = random_resnet20(11);
    return compress_model(baseline, settings, options, random_images(16, 8, 11), torch::kCPU).compressed;
}

std::int64_t bytes_for_bits(std::int64_t count, int bits)
{
    return (count * bits + 7) / 8;
}

std::int64_t float_tensor_bytes(ClassifierImpl &model)
{
    std::int64_t bytes = 0;
    for (const auto &tensor : float_tensors(model)) {
        bytes += 4 * tensor.numel();
    }
    return bytes;
}

std::uint32_t header_length(const std::vector<std::uint8_t> &bytes)
{
    return bytes[24] | (bytes[25] << 8) | (bytes[26] << 16) | (static_cast<std::uint32_t>(bytes[27]) << 24);
}

void write_file(const std::filesystem::path &file, const std::vector<std::uint8_t> &bytes)
{
    std::ofstream stream(file, std::ios::binary);
    stream.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

TEST_CASE("packed model round trip")
{
    const std::vector<genome> genomes = {genome{},
                                         genome{0.5, 32, 0, route_kind::ptq, false, 0},
                                         genome{0.0, 4, 0, route_kind::ptq, false, 0},
                                         genome{0.8, 2, 0, route_kind::ptq, false, 0},
                                         genome{0.5, 32, 16, route_kind::ptq, false, 0},
                                         genome{0.3, 6, 256, route_kind::ptq, false, 0},
                                         genome{0.5, 8, 16, route_kind::ptq, true, 0}};
    temporary_folder folder;
    const auto inputs = torch::randn({4, 3, 32, 32});
    for (const auto &settings : genomes) {
        CAPTURE(describe(settings));
        const auto original = compressed_resnet20(settings);
        const auto file = folder.path() / "model.crimp";
        write_packed(file, original);
        REQUIRE(is_packed_file(file));
        const auto reread = read_packed(file);
        CHECK(reread.settings == settings);
        CHECK(reread.metadata.architecture == "resnet20");
        CHECK(reread.metadata.split.validation_images == 5000);

        const auto original_parameters = original.model->parameters();
        const auto reread_parameters = reread.model->parameters();
        for (std::size_t i = 0; i < original_parameters.size(); ++i) {
            CHECK(torch::equal(original_parameters[i], reread_parameters[i]));
        }
        torch::NoGradGuard no_grad;
        original.model->eval();
        reread.model->eval();
        CHECK(torch::equal(original.model->forward(inputs), reread.model->forward(inputs)));

        const auto loaded = load_any_model(file);
        loaded.model->eval();
        CHECK(torch::equal(original.model->forward(inputs), loaded.model->forward(inputs)));
    }
}

TEST_CASE("packed size follows layer shapes")
{
    SUBCASE("uniform codes without masks")
    {
        const auto compressed = compressed_resnet20(genome{0.0, 4, 0, route_kind::ptq, false, 0});
        const auto bytes = pack(compressed);
        std::int64_t expected = 24 + 4 + header_length(bytes) + float_tensor_bytes(*compressed.model);
        for (const auto &layer : compressible_layers(*compressed.model)) {
            expected += 8 + 4 * layer.output_channels + bytes_for_bits(layer.weight.numel(), 4);
        }
        CHECK(static_cast<std::int64_t>(bytes.size()) == expected);
    }
    SUBCASE("float weights behind bitmap masks")
    {
        // Unstructured pruning scatters the zeros, so a bitmap beats run lengths.
        const auto compressed = compressed_resnet20(genome{0.5, 32, 0, route_kind::ptq, false, 0});
        const auto bytes = pack(compressed);
        std::int64_t expected = 24 + 4 + header_length(bytes) + float_tensor_bytes(*compressed.model);
        const auto layers = compressible_layers(*compressed.model);
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const auto count = layers[i].weight.numel();
            const bool pruned = i > 0 && i + 1 < layers.size();
            const auto kept = pruned ? count - std::llround(0.5 * static_cast<double>(count)) : count;
            expected += 8 + (pruned ? bytes_for_bits(count, 1) : 0) + 4 * kept;
        }
        CHECK(static_cast<std::int64_t>(bytes.size()) == expected);
    }
    SUBCASE("codebooks behind run-length masks")
    {
        // Structured pruning leaves whole filters, a few long runs.
        compression_options options;
        options.structured = true;
        const auto compressed = compressed_resnet20(genome{0.5, 32, 4, route_kind::ptq, false, 0}, options);
        const auto bytes = pack(compressed);
        std::int64_t expected = 24 + 4 + header_length(bytes) + float_tensor_bytes(*compressed.model);
        const auto layers = compressible_layers(*compressed.model);
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const auto &encoded = compressed.layers[i];
            const auto count = layers[i].weight.numel();
            if (i == 0 || i + 1 == layers.size()) {
                expected += 8 + 4 * count;
                continue;
            }
            // Runs alternate pruned, kept, ... with one varint each (all runs here are below 2^14).
            const auto filters = layers[i].weight.size(0);
            const auto filter_size = count / filters;
            std::int64_t runs = 0;
            std::int64_t varint_bytes = 0;
            bool previous_kept = false;
            std::int64_t run = 0;
            auto close_run = [&] {
                ++runs;
                varint_bytes += run < 128 ? 1 : 2;
            };
            for (std::int64_t filter = 0; filter < filters; ++filter) {
                const bool kept = encoded.mask[filter * filter_size].item<bool>();
                if (kept != previous_kept) {
                    close_run();
                    run = 0;
                    previous_kept = kept;
                }
                run += filter_size;
            }
            close_run();
            CHECK(runs >= 2);
            const auto entries = encoded.centroids.numel();
            const int index_bits = entries <= 1 ? 0 : (entries <= 2 ? 1 : 2);
            expected += 8 + 4 + varint_bytes + 2 + 4 * entries + bytes_for_bits(encoded.kept_count(), index_bits);
        }
        CHECK(static_cast<std::int64_t>(bytes.size()) == expected);
    }
}

TEST_CASE("size ratios against float baseline")
{
    const auto baseline = random_resnet20(12);
    const auto reference = uncompressed(baseline);
    const auto reference_sizes = measure_baseline_sizes(reference);
    const auto same = measure_sizes(reference, pack(reference).size(), reference_sizes);
    CHECK(same.compression_ratio == 1.0);
    CHECK(same.deflate_ratio == 1.0);

    const auto result = compress_model(baseline, genome{0.5, 4, 0, route_kind::ptq, false, 0}, {}, {}, torch::kCPU);
    const auto sizes = measure_sizes(result.compressed, pack(result.compressed).size(), reference_sizes);
    CHECK(sizes.packed_bytes == pack(result.compressed).size());
    // Pruned layers keep half their weights at 4 bits plus a 1-bit mask, 3 bits per weight against 32:
    // at most 32 / 3 times smaller, and the unpruned first and last layers pull the ratio below that.
    CHECK(sizes.compression_ratio > 8.0);
    CHECK(sizes.compression_ratio < 32.0 / 3.0);
    CHECK(sizes.deflate_ratio > 3.0);
}

TEST_CASE("damaged packed files are rejected")
{
    const auto compressed = compressed_resnet20(genome{0.5, 4, 0, route_kind::ptq, false, 0});
    const auto bytes = pack(compressed);
    temporary_folder folder;
    const auto file = folder.path() / "damaged.crimp";

    SUBCASE("truncated")
    {
        write_file(file, std::vector<std::uint8_t>(bytes.begin(), bytes.end() - 100));
        CHECK_THROWS_WITH_AS(read_packed(file), doctest::Contains("truncated"), input_error);
        write_file(file, std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 12));
        CHECK_THROWS_WITH_AS(read_packed(file), doctest::Contains("truncated"), input_error);
    }
    SUBCASE("wrong checksum")
    {
        auto flipped = bytes;
        flipped[bytes.size() / 2] ^= 0x10;
        write_file(file, flipped);
        CHECK_THROWS_WITH_AS(read_packed(file), doctest::Contains("checksum mismatch"), input_error);
    }
    SUBCASE("unknown version")
    {
        auto newer = bytes;
        newer[8] = 7;
        write_file(file, newer);
        CHECK_THROWS_WITH_AS(read_packed(file), doctest::Contains("unknown format version 7"), input_error);
    }
    SUBCASE("not a packed model")
    {
        write_file(file, std::vector<std::uint8_t>(64, 'x'));
        CHECK_FALSE(is_packed_file(file));
        CHECK_THROWS_WITH_AS(read_packed(file), doctest::Contains("magic"), input_error);
        CHECK_THROWS_WITH_AS(read_packed(folder.path() / "absent.crimp"), doctest::Contains("not found"), input_error);
    }
}
