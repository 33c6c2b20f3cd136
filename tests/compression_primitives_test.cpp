#include <crimp/compression/clustering.hpp>
#include <crimp/compression/pruning.hpp>
#include <crimp/compression/quantization.hpp>
#include <crimp/engine/error.hpp>

#include <doctest/doctest.h>
#include <torch/types.h>

#include <cmath>
#include <set>

using namespace crimp;
using namespace crimp::compression;

namespace
{

std::int64_t pruned_count(const torch::Tensor &mask)
{
    return mask.numel() - mask.sum().item<std::int64_t>();
}

std::set<float> distinct_values(const torch::Tensor &values)
{
    const auto flat = values.flatten().contiguous();
    return {flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()};
}

} // namespace

TEST_CASE("per-layer pruning reaches the sparsity")
{
    torch::manual_seed(1);
    const std::vector<torch::Tensor> weights = {torch::randn({16, 3, 3, 3}), torch::randn({64, 16, 3, 3}),
                                                torch::randn({10, 64})};
    for (const double sparsity : {0.1, 0.5, 0.9, 0.99}) {
        const auto masks = magnitude_masks(weights, {sparsity, pruning_scope::layer, false});
        for (std::size_t i = 0; i < weights.size(); ++i) {
            const double target = sparsity * static_cast<double>(weights[i].numel());
            CHECK(std::abs(static_cast<double>(pruned_count(masks[i])) - target) <= 1.0);
            // Every pruned weight is no larger in magnitude than every kept one.
            const auto magnitude = weights[i].abs();
            CHECK(magnitude.masked_select(masks[i].logical_not()).max().item<float>()
                  <= magnitude.masked_select(masks[i]).min().item<float>());
        }
    }
}

TEST_CASE("global pruning shares one threshold")
{
    torch::manual_seed(2);
    const std::vector<torch::Tensor> weights = {torch::randn({32, 8}) * 0.1, torch::randn({32, 8})};
    const auto masks = magnitude_masks(weights, {0.5, pruning_scope::global, false});
    CHECK(pruned_count(masks[0]) + pruned_count(masks[1]) == 256);
    // The layer of small weights loses far more than half of them.
    CHECK(pruned_count(masks[0]) > 200);
}

TEST_CASE("structured pruning removes weakest filters")
{
    auto weight = torch::ones({8, 4, 3, 3});
    for (int filter = 0; filter < 8; ++filter) {
        weight[filter].mul_(static_cast<float>(filter + 1));
    }
    const auto mask = magnitude_masks({weight}, {0.25, pruning_scope::layer, true})[0];
    for (int filter = 0; filter < 8; ++filter) {
        const bool kept = mask[filter].all().item<bool>();
        CHECK(kept == (filter >= 2));
        CHECK(mask[filter].any().item<bool>() == kept);
    }
}

TEST_CASE("pruning breaks ties by position")
{
    // 36 weights with only three magnitudes: ties at the threshold are broken by position.
    auto weight = torch::tensor({1.0F, -1.0F, 2.0F}).repeat({12}).reshape({4, 9});
    const auto first = magnitude_masks({weight}, {0.9, pruning_scope::layer, false})[0];
    const auto second = magnitude_masks({weight}, {0.9, pruning_scope::layer, false})[0];
    CHECK(pruned_count(first) == 32); // round(0.9 · 36)
    CHECK(torch::equal(first, second));
    // All 24 weights of magnitude 1 go first, then the 8 earliest weights of magnitude 2.
    const auto flat = first.flatten();
    int kept_twos = 0;
    for (int i = 0; i < 36; ++i) {
        if (flat[i].item<bool>()) {
            CHECK(i % 3 == 2);
            CHECK(i >= 24);
            ++kept_twos;
        }
    }
    CHECK(kept_twos == 4);
}

TEST_CASE("pruning mask at sparsity 0")
{
    const auto weight = torch::randn({5, 5});
    CHECK(magnitude_masks({weight}, {0.0, pruning_scope::layer, false})[0].all().item<bool>());
}

TEST_CASE("k-means keeps at most k values")
{
    torch::manual_seed(3);
    const auto values = torch::randn({4000}).contiguous();
    const std::vector<float> input(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    for (const auto init : {centroid_init::kmeans_plus_plus, centroid_init::linear}) {
        for (const int k : {2, 16, 256}) {
            const auto result = cluster_values(input, k, init, 7);
            CHECK(result.centroids.size() <= static_cast<std::size_t>(k));
            CHECK(result.centroids.size() >= 2);
            CHECK(std::is_sorted(result.centroids.begin(), result.centroids.end()));
            for (const float centroid : result.centroids) {
                CHECK(std::isfinite(centroid));
            }
            // Each value goes to its nearest centroid.
            for (std::size_t i = 0; i < input.size(); i += 97) {
                const float own = std::abs(input[i] - result.centroids[static_cast<std::size_t>(result.assignments[i])]);
                for (const float centroid : result.centroids) {
                    CHECK(own <= std::abs(input[i] - centroid) + 1e-6F);
                }
            }
        }
    }
}

TEST_CASE("k-means is seeded")
{
    const auto values = torch::randn({1000}).contiguous();
    const std::vector<float> input(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    const auto first = cluster_values(input, 8, centroid_init::kmeans_plus_plus, 5);
    const auto again = cluster_values(input, 8, centroid_init::kmeans_plus_plus, 5);
    CHECK(first.centroids == again.centroids);
    CHECK(first.assignments == again.assignments);
}

TEST_CASE("k-means keeps few distinct values")
{
    const std::vector<float> input = {0.5F, -0.25F, 0.5F, 3.0F, -0.25F, 0.125F};
    const auto result = cluster_values(input, 16, centroid_init::kmeans_plus_plus, 0);
    REQUIRE(result.centroids.size() == 4);
    for (std::size_t i = 0; i < input.size(); ++i) {
        CHECK(result.centroids[static_cast<std::size_t>(result.assignments[i])] == input[i]);
    }

    const std::vector<float> constant(50, 0.75F);
    const auto single = cluster_values(constant, 8, centroid_init::linear, 0);
    REQUIRE(single.centroids.size() == 1);
    CHECK(single.centroids[0] == 0.75F);
}

TEST_CASE("k-means drops empty clusters")
{
    // Linear initialisation puts most of the 8 centroids in the gap between two tight groups.
    std::vector<float> input(100, -1.0F);
    input.insert(input.end(), 100, 1.0F);
    input[0] = -1.001F;
    input[150] = 1.001F;
    const auto result = cluster_values(input, 8, centroid_init::linear, 0);
    CHECK(result.centroids.size() <= 4);
    for (const float centroid : result.centroids) {
        CHECK(std::isfinite(centroid));
    }
}

TEST_CASE("invalid cluster counts are rejected")
{
    CHECK_THROWS_WITH_AS(cluster_values({1.0F, 2.0F}, 1, centroid_init::linear, 0), doctest::Contains("clusters 1"),
                         usage_error);
    CHECK_THROWS_WITH_AS(cluster_values({1.0F, 2.0F}, 257, centroid_init::linear, 0), doctest::Contains("257"),
                         usage_error);
}

TEST_CASE("quantized weights lie on grid")
{
    torch::manual_seed(4);
    const auto weight = torch::randn({6, 4, 3, 3});
    for (const int bits : {2, 3, 4, 8}) {
        const auto scales = channel_scales(weight, bits);
        const auto codes = quantize(weight, scales, bits);
        CHECK(codes.abs().max().item<std::int64_t>() <= largest_code(bits));
        const auto restored = dequantize(codes, scales);
        const auto steps = restored / scales.reshape({6, 1, 1, 1});
        CHECK(torch::allclose(steps, steps.round(), 0.0, 1e-4));
        // Rounding error is at most half a step.
        CHECK((restored - weight).abs().le(scales.reshape({6, 1, 1, 1}) * 0.5001).all().item<bool>());
        CHECK(distinct_values(restored[0]).size() <= static_cast<std::size_t>(2 * largest_code(bits) + 1));
    }
}

TEST_CASE("two-bit quantization has three levels")
{
    CHECK(largest_code(2) == 1);
    torch::manual_seed(5);
    const auto weight = torch::randn({4, 50});
    const auto fake = fake_quantize_per_channel(weight, 2);
    const auto scales = channel_scales(weight, 2);
    const auto stored = dequantize(quantize(weight, scales, 2), scales);
    for (int channel = 0; channel < 4; ++channel) {
        CHECK(distinct_values(stored[channel]).size() == 3);
        CHECK(distinct_values(fake[channel]).size() == 3);
    }
    CHECK(torch::allclose(fake, stored));
}

TEST_CASE("degenerate channels get usable scales")
{
    auto weight = torch::zeros({4, 9});
    weight[1].fill_(0.3F);
    weight[2].fill_(1e-42F); // subnormal
    weight[3] = torch::linspace(-1.0, 1.0, 9);
    const auto scales = channel_scales(weight, 4);
    CHECK(scales.isfinite().all().item<bool>());
    CHECK(scales.gt(0.0).all().item<bool>());
    const auto restored = dequantize(quantize(weight, scales, 4), scales);
    CHECK(restored[0].eq(0.0).all().item<bool>());
    CHECK(torch::allclose(restored[1], weight[1]));
    CHECK(restored[2].eq(0.0).all().item<bool>());
    CHECK(restored[3][4].item<float>() == 0.0F); // zero stays exactly zero
    CHECK(fake_quantize_per_channel(weight, 4).isfinite().all().item<bool>());
    CHECK(tensor_scale(torch::zeros({3}), 8) == 1.0F);
}

TEST_CASE("activation quantizer keeps zero exact")
{
    const auto quantizer = make_activation_quantizer(0.5F, 6.0F); // widened to [0, 6]
    CHECK(quantizer.zero_point == 0);
    CHECK(quantizer.scale == doctest::Approx(6.0 / 255.0));
    const auto input = torch::tensor({-1.0F, 0.0F, 3.0F, 9.0F});
    const auto output = quantize_activation(input, quantizer);
    CHECK(output[0].item<float>() == 0.0F);
    CHECK(output[1].item<float>() == 0.0F);
    CHECK(output[2].item<float>() == doctest::Approx(3.0).epsilon(0.01));
    CHECK(output[3].item<float>() == doctest::Approx(6.0).epsilon(1e-5));

    const auto signed_range = make_activation_quantizer(-2.0F, 2.0F);
    CHECK(signed_range.zero_point >= 127); // 127.5 before rounding
    CHECK(signed_range.zero_point <= 128);
    CHECK(quantize_activation(torch::zeros({1}), signed_range).item<float>() == 0.0F);
    CHECK(make_activation_quantizer(0.0F, 0.0F).enabled());
}
