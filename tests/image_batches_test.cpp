#include <crimp/engine/image_batches.hpp>

#include <doctest/doctest.h>
#include <torch/nn.h>

using namespace crimp;

TEST_CASE("normalise standardises each channel")
{
    const normalisation statistics{{0.5F, 0.25F, 0.0F}, {0.5F, 0.25F, 1.0F}};
    const auto images = torch::full({1, 3, 32, 32}, 255, torch::kUInt8);
    const auto output = normalise(images, statistics);
    CHECK(output.dtype() == torch::kFloat32);
    CHECK(output[0][0][0][0].item<float>() == doctest::Approx(1.0));
    CHECK(output[0][1][5][5].item<float>() == doctest::Approx(3.0));
    CHECK(output[0][2][31][31].item<float>() == doctest::Approx(1.0));
}

TEST_CASE("augment crops within padding and flips")
{
    // Each pixel encodes its column, so a crop shifts columns by at most 4 and a flip reverses them.
    auto images = torch::arange(32, torch::kUInt8).view({1, 1, 1, 32}).expand({64, 3, 32, 32}).contiguous();
    images.add_(1); // Columns are 1..32, leaving 0 for the zero padding.
    splitmix64 generator(5);
    const auto output = augment(images, generator);
    REQUIRE(output.sizes() == images.sizes());

    int flipped = 0;
    for (std::int64_t i = 0; i < output.size(0); ++i) {
        const auto row = output[i][0][16].to(torch::kInt32);
        const auto image_columns = row.masked_select(row.gt(0));
        CHECK(image_columns.size(0) >= 28);
        // Neighbouring columns stay neighbours: a crop shifts them, a flip reverses them.
        const auto steps = image_columns.slice(0, 1) - image_columns.slice(0, 0, -1);
        CHECK(steps.abs().eq(1).all().item<bool>());
        if (image_columns[0].item<int>() > image_columns[-1].item<int>()) {
            ++flipped;
        }
        // Every channel gets the same crop and flip.
        CHECK(torch::equal(output[i][0], output[i][2]));
    }
    CHECK(flipped > 16);
    CHECK(flipped < 48);
}

TEST_CASE("augment is reproducible from the seed")
{
    const auto images = torch::randint(0, 256, {8, 3, 32, 32}, torch::kUInt8);
    splitmix64 first(11);
    splitmix64 second(11);
    CHECK(torch::equal(augment(images, first), augment(images, second)));
}
