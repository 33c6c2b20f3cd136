#include "compression_test_support.hpp"

#include <crimp/compression/compressor.hpp>
#include <crimp/compression/packed_format.hpp>
#include <crimp/engine/compressible_layers.hpp>
#include <crimp/engine/error.hpp>

#include <doctest/doctest.h>
#include <torch/utils.h>

#include <set>

using namespace crimp;
using namespace crimp::compression;
using crimp::testing::random_images;
using crimp::testing::random_resnet20;

namespace
{

compression_result compress(const trained_model &baseline, const genome &settings, const fit_data &data = {},
                            compression_options options = {})
{
    options.batch_size = 16;
    return compress_model(baseline, settings, options, data, torch::kCPU);
}

torch::Tensor logits_of(ClassifierImpl &model, const torch::Tensor &inputs)
{
    torch::NoGradGuard no_grad;
    model.eval();
    return model.forward(inputs);
}

} // namespace

TEST_CASE("sparsity 0 leaves weights bit-identical")
{
    const auto baseline = random_resnet20(1);
    const auto result = compress(baseline, genome{});
    const auto original = baseline.model->parameters();
    const auto compressed = result.compressed.model->parameters();
    REQUIRE(original.size() == compressed.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
        CHECK(torch::equal(original[i], compressed[i]));
    }
    const auto inputs = torch::randn({2, 3, 32, 32});
    CHECK(torch::equal(logits_of(*baseline.model, inputs), logits_of(*result.compressed.model, inputs)));
}

TEST_CASE("pruning skips first and last layers")
{
    const auto baseline = random_resnet20(2);
    genome settings;
    settings.sparsity = 0.6;
    const auto result = compress(baseline, settings);
    const auto layers = compressible_layers(*result.compressed.model);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto zeros = layers[i].weight.eq(0.0).sum().item<std::int64_t>();
        if (i == 0 || i + 1 == layers.size()) {
            CHECK(zeros == 0);
        } else {
            CHECK(std::abs(static_cast<double>(zeros) - 0.6 * static_cast<double>(layers[i].weight.numel())) <= 1.0);
        }
    }

    compression_options everything;
    everything.compress_first_layer = true;
    everything.compress_last_layer = true;
    const auto all_layers = compressible_layers(*compress(baseline, settings, {}, everything).compressed.model);
    CHECK(all_layers.front().weight.eq(0.0).sum().item<std::int64_t>() > 0);
    CHECK(all_layers.back().weight.eq(0.0).sum().item<std::int64_t>() > 0);
}

TEST_CASE("clustered layers keep at most k values")
{
    const auto baseline = random_resnet20(3);
    genome settings;
    settings.sparsity = 0.5;
    settings.clusters = 8;
    settings.bits = 4;
    const auto result = compress(baseline, settings);
    const auto layers = compressible_layers(*result.compressed.model);
    for (std::size_t i = 1; i + 1 < layers.size(); ++i) {
        const auto values = layers[i].weight.flatten().contiguous();
        std::set<float> distinct(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
        distinct.erase(0.0F);
        CHECK(distinct.size() <= 8);
        CHECK(values.eq(0.0).sum().item<std::int64_t>() >= values.numel() / 2);
    }
}

TEST_CASE("fine-tuning keeps masks and assignments")
{
    const auto baseline = random_resnet20(4);
    const auto data = random_images(48, 16, 4);
    genome settings;
    settings.sparsity = 0.5;
    settings.clusters = 4;
    settings.bits = 8;
    settings.route = route_kind::finetune;
    settings.finetune_epochs = 2;
    compression_options options;
    options.patience = 0;
    options.learning_rate = 0.05; // large enough to move every weight

    const auto one_shot = compress(baseline, {0.5, 8, 4, route_kind::ptq, false, 0}, data, options);
    const auto tuned = compress(baseline, settings, data, options);
    REQUIRE(tuned.finetuning.history.size() == 2);
    const auto before = compressible_layers(*one_shot.compressed.model);
    const auto after = compressible_layers(*tuned.compressed.model);
    bool any_moved = false;
    for (std::size_t i = 1; i + 1 < after.size(); ++i) {
        // The same weights are zero, and weights that shared a value before share one after.
        CHECK(torch::equal(before[i].weight.eq(0.0), after[i].weight.eq(0.0)));
        CHECK(torch::equal(one_shot.compressed.layers[i].codes, tuned.compressed.layers[i].codes));
        CHECK(tuned.compressed.layers[i].centroids.numel() <= 4);
        any_moved = any_moved || !torch::equal(before[i].weight, after[i].weight);
    }
    CHECK(any_moved);

    // Layers that are only quantized (the first and last) train freely but stay on their grid.
    const auto &first = tuned.compressed.layers.front();
    CHECK(first.encoding == weight_encoding::uniform);
    CHECK(torch::equal(after.front().weight, decode_weight(first)));
}

TEST_CASE("pruned weights stay zero with momentum")
{
    const auto baseline = random_resnet20(5);
    const auto data = random_images(48, 16, 5);
    compression_options options;
    options.patience = 0;
    options.weight_decay = 0.05;
    options.learning_rate = 0.1;
    const auto result = compress(baseline, {0.7, 32, 0, route_kind::finetune, false, 2}, data, options);

    const auto bytes = pack(result.compressed);
    const auto reread = unpack(bytes, "memory");
    const auto layers = compressible_layers(*result.compressed.model);
    const auto reread_layers = compressible_layers(*reread.model);
    for (std::size_t i = 1; i + 1 < layers.size(); ++i) {
        const auto mask = result.compressed.layers[i].mask.reshape(layers[i].weight.sizes());
        CHECK(layers[i].weight.masked_select(mask.logical_not()).eq(0.0).all().item<bool>());
        CHECK(torch::equal(layers[i].weight, reread_layers[i].weight));
    }
}

TEST_CASE("full-integer model quantizes every input")
{
    const auto baseline = random_resnet20(6);
    const auto data = random_images(32, 8, 6);
    genome settings;
    settings.full_integer = true;
    compression_options options;
    options.calibration_images = 16;
    for (const auto method : {calibration_method::minmax, calibration_method::percentile}) {
        options.calibration = method;
        const auto result = compress(baseline, settings, data, options);
        for (const auto &layer : result.compressed.layers) {
            CHECK(layer.input.enabled());
            CHECK(layer.encoding == weight_encoding::uniform);
            CHECK(layer.bits == 8);
        }
        const auto logits = logits_of(*result.compressed.model, torch::randn({2, 3, 32, 32}));
        CHECK(logits.isfinite().all().item<bool>());
    }
    CHECK_THROWS_WITH_AS(compress(baseline, settings), doctest::Contains("--data-dir"), usage_error);
}

TEST_CASE("genome outside its range is rejected")
{
    CHECK_THROWS_WITH_AS(validate(genome{1.0, 32, 0, route_kind::ptq, false, 0}), doctest::Contains("sparsity 1"),
                         usage_error);
    CHECK_THROWS_WITH_AS(validate(genome{-0.1, 32, 0, route_kind::ptq, false, 0}), doctest::Contains("-0.1"),
                         usage_error);
    CHECK_THROWS_WITH_AS(validate(genome{0.0, 1, 0, route_kind::ptq, false, 0}), doctest::Contains("bits 1"),
                         usage_error);
    CHECK_THROWS_WITH_AS(validate(genome{0.0, 16, 0, route_kind::ptq, false, 0}), doctest::Contains("bits 16"),
                         usage_error);
    CHECK_THROWS_WITH_AS(validate(genome{0.0, 32, 1, route_kind::ptq, false, 0}), doctest::Contains("clusters 1"),
                         usage_error);
    CHECK_THROWS_WITH_AS(validate(genome{0.0, 32, 300, route_kind::ptq, false, 0}), doctest::Contains("clusters 300"),
                         usage_error);
    CHECK_THROWS_WITH_AS(parse_route("qat"), doctest::Contains("'qat'"), usage_error);
    CHECK_NOTHROW(validate(genome{0.99, 2, 256, route_kind::finetune, true, 3}));
}

TEST_CASE("techniques map to genomes")
{
    CHECK(technique_genome(1, 2) == genome{});
    CHECK(technique_genome(2, 2) == genome{0.0, 32, 0, route_kind::ptq, true, 0});
    CHECK(technique_genome(7, 3) == genome{0.5, 32, 16, route_kind::finetune, false, 3});
    CHECK(technique_genome(16, 2) == genome{0.5, 8, 16, route_kind::finetune, true, 2});
    CHECK(technique_name(12) == "CQAT + full-integer PTQ");
    for (int technique = 1; technique <= technique_count; ++technique) {
        CHECK(deployed_weight_bits(technique_genome(technique, 1)) == (technique % 2 == 0 || technique >= 9 ? 8 : 32));
    }
    CHECK_THROWS_WITH_AS(technique_genome(17, 1), doctest::Contains("technique 17"), usage_error);
}
