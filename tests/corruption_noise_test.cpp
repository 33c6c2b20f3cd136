#include "corruption_stats.hpp"

#include <crimp/corruption/corruption.hpp>
#include <crimp/corruption/random.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using crimp::corruption::counter_rng;

namespace
{

constexpr int draw_count = 100000;

struct moments {
    double mean = 0.0;
    double variance = 0.0;
};

moments sample_moments(const std::vector<double> &values)
{
    double sum = 0.0;
    for (const double value : values) {
        sum += value;
    }
    const double mean = sum / static_cast<double>(values.size());
    double squared_deviation_sum = 0.0;
    for (const double value : values) {
        squared_deviation_sum += (value - mean) * (value - mean);
    }
    return {mean, squared_deviation_sum / static_cast<double>(values.size() - 1)};
}

std::array<std::uint32_t, 8> first_words(counter_rng random)
{
    std::array<std::uint32_t, 8> words{};
    for (auto &word : words) {
        word = random.next_u32();
    }
    return words;
}

// Poisson probability mass P(X = k) for mean lambda, computed in log space.
double poisson_pmf(double lambda, int k)
{
    return std::exp(-lambda + k * std::log(lambda) - std::lgamma(k + 1.0));
}

// A 32×32 RGB image that covers dark, mid and bright values in every channel.
crimp::corruption::rgb_image gradient_image()
{
    crimp::corruption::rgb_image image{};
    for (std::size_t i = 0; i < image.size(); ++i) {
        image[i] = static_cast<std::uint8_t>((i * 7) % 256);
    }
    return image;
}

const std::array<std::string, 4> noise_corruptions = {"gaussian_noise", "shot_noise", "impulse_noise",
                                                      "speckle_noise"};

} // namespace

// The all-zero "philox4x32 10" line of Random123's tests/kat_vectors: counter {0, 0, 0, 0} and key {0, 0}.
// With seed 0, corruption 0, severity 0 and image 0, the first block of the stream uses exactly that
// counter and key.
TEST_CASE("counter_rng matches Philox4x32-10 known answer")
{
    counter_rng random(0, 0, 0, 0);
    CHECK(random.next_u32() == 0x6627e8d5u);
    CHECK(random.next_u32() == 0xe169c58du);
    CHECK(random.next_u32() == 0xbc57ac4cu);
    CHECK(random.next_u32() == 0x9b00dbd8u);
}

TEST_CASE("counter_rng same key gives same sequence")
{
    counter_rng first(12345, 3, 2, 77);
    counter_rng second(12345, 3, 2, 77);
    for (int i = 0; i < 1000; ++i) {
        REQUIRE(first.next_u32() == second.next_u32());
    }
    CHECK(first.uniform() == second.uniform());
    CHECK(first.normal() == second.normal());
    CHECK(first.poisson(42.0) == second.poisson(42.0));
    CHECK(first.integer(-5, 5) == second.integer(-5, 5));
}

TEST_CASE("counter_rng every key component changes sequence")
{
    const auto base = first_words(counter_rng(0x0000000100000001ull, 3, 2, 0x0000000100000001ull));
    CHECK(first_words(counter_rng(0x0000000100000002ull, 3, 2, 0x0000000100000001ull)) != base); // seed, low word
    CHECK(first_words(counter_rng(0x0000000200000001ull, 3, 2, 0x0000000100000001ull)) != base); // seed, high word
    CHECK(first_words(counter_rng(0x0000000100000001ull, 4, 2, 0x0000000100000001ull)) != base); // corruption
    CHECK(first_words(counter_rng(0x0000000100000001ull, 3, 3, 0x0000000100000001ull)) != base); // severity
    CHECK(first_words(counter_rng(0x0000000100000001ull, 3, 2, 0x0000000100000002ull)) != base); // image, low word
    CHECK(first_words(counter_rng(0x0000000100000001ull, 3, 2, 0x0000000200000001ull)) != base); // image, high word

    // Corruption and severity share a counter word, so swapping them must still give another stream.
    CHECK(first_words(counter_rng(0x0000000100000001ull, 2, 3, 0x0000000100000001ull)) != base);
}

TEST_CASE("counter_rng consecutive blocks differ")
{
    const auto words = first_words(counter_rng(7, 0, 0, 0));
    const std::array<std::uint32_t, 4> block_0 = {words[0], words[1], words[2], words[3]};
    const std::array<std::uint32_t, 4> block_1 = {words[4], words[5], words[6], words[7]};
    CHECK(block_0 != block_1);
}

TEST_CASE("counter_rng rejects oversized corruption or severity")
{
    CHECK_NOTHROW(counter_rng(0, 65535, 65535, 0));
    CHECK_THROWS_AS(counter_rng(0, 65536, 1, 0), std::out_of_range);
    CHECK_THROWS_AS(counter_rng(0, 1, 65536, 0), std::out_of_range);
}

TEST_CASE("counter_rng uniform moments")
{
    counter_rng random(1, 0, 0, 0);
    std::vector<double> values(draw_count);
    for (auto &value : values) {
        value = random.uniform();
        REQUIRE(value >= 0.0);
        REQUIRE(value < 1.0);
    }
    // Bounds are five standard errors: sd(mean) = sqrt(1/12 / n), sd(variance) = sqrt((1/80 − 1/144) / n).
    const auto measured = sample_moments(values);
    CHECK(std::abs(measured.mean - 0.5) < 0.0046);
    CHECK(std::abs(measured.variance - 1.0 / 12.0) < 0.0012);
}

TEST_CASE("counter_rng uniform range stays below high")
{
    counter_rng random(2, 0, 0, 0);
    for (int i = 0; i < 10000; ++i) {
        const double value = random.uniform(-45.0, 45.0);
        REQUIRE(value >= -45.0);
        REQUIRE(value < 45.0);
    }
}

TEST_CASE("counter_rng normal moments and shape")
{
    counter_rng random(3, 0, 0, 0);
    std::vector<double> values(draw_count);
    int within_one_sigma = 0;
    int beyond_two_sigma = 0;
    for (auto &value : values) {
        value = random.normal();
        within_one_sigma += std::abs(value) < 1.0 ? 1 : 0;
        beyond_two_sigma += std::abs(value) > 2.0 ? 1 : 0;
    }
    // Five standard errors: sd(mean) = 1/sqrt(n), sd(variance) = sqrt(2/n), and sqrt(p(1 − p)/n) for
    // the fractions, whose exact values are erf(1/√2) = 0.682689 and erfc(√2) = 0.045500.
    const auto measured = sample_moments(values);
    CHECK(std::abs(measured.mean) < 0.0158);
    CHECK(std::abs(measured.variance - 1.0) < 0.0224);
    CHECK(std::abs(within_one_sigma / static_cast<double>(draw_count) - 0.682689) < 0.0074);
    CHECK(std::abs(beyond_two_sigma / static_cast<double>(draw_count) - 0.045500) < 0.0033);

    counter_rng shifted(3, 0, 0, 0);
    std::vector<double> scaled(draw_count);
    for (auto &value : scaled) {
        value = shifted.normal(10.0, 0.5);
    }
    const auto scaled_moments = sample_moments(scaled);
    CHECK(std::abs(scaled_moments.mean - 10.0) < 5 * 0.5 / std::sqrt(draw_count));
    CHECK(std::abs(scaled_moments.variance - 0.25) < 5 * 0.25 * std::sqrt(2.0 / draw_count));
}

TEST_CASE("counter_rng poisson moments")
{
    // Both branches (sequential search below 10, PTRS from 10) and the boundary between them.
    for (const double lambda : {0.5, 5.0, 9.99, 10.0, 50.0, 400.0}) {
        CAPTURE(lambda);
        counter_rng random(4, 0, 0, static_cast<std::uint64_t>(lambda * 100));
        std::vector<double> values(draw_count);
        for (auto &value : values) {
            const auto draw = random.poisson(lambda);
            REQUIRE(draw >= 0);
            value = static_cast<double>(draw);
        }
        // Five standard errors: sd(mean) = sqrt(λ/n), sd(variance) = sqrt((λ + 2λ²)/n).
        const auto measured = sample_moments(values);
        CHECK(std::abs(measured.mean - lambda) < 5 * std::sqrt(lambda / draw_count));
        CHECK(std::abs(measured.variance - lambda) < 5 * std::sqrt((lambda + 2 * lambda * lambda) / draw_count));
    }
}

TEST_CASE("counter_rng poisson probabilities")
{
    // Each frequency within five standard errors of the probability mass, over the central values.
    for (const double lambda : {0.5, 5.0, 50.0, 400.0}) {
        CAPTURE(lambda);
        counter_rng random(5, 0, 0, static_cast<std::uint64_t>(lambda * 100));
        std::map<std::int64_t, int> counts;
        for (int i = 0; i < draw_count; ++i) {
            ++counts[random.poisson(lambda)];
        }
        const double spread = std::sqrt(lambda);
        const int first = std::max(0, static_cast<int>(lambda - 2 * spread));
        const int last = static_cast<int>(lambda + 2 * spread) + 1;
        for (int k = first; k <= last; ++k) {
            CAPTURE(k);
            const double probability = poisson_pmf(lambda, k);
            const double frequency = counts[k] / static_cast<double>(draw_count);
            CHECK(std::abs(frequency - probability) < 5 * std::sqrt(probability * (1 - probability) / draw_count));
        }
    }
}

TEST_CASE("counter_rng poisson edge cases")
{
    counter_rng random(6, 0, 0, 0);
    for (int i = 0; i < 100; ++i) {
        REQUIRE(random.poisson(0.0) == 0);
    }
    CHECK_THROWS_AS(random.poisson(-1.0), std::invalid_argument);
    CHECK_THROWS_AS(random.poisson(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
    CHECK_THROWS_AS(random.poisson(std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST_CASE("counter_rng integer covers exact range")
{
    counter_rng random(7, 0, 0, 0);
    std::map<std::int64_t, int> counts;
    const int draws = 70000;
    for (int i = 0; i < draws; ++i) {
        ++counts[random.integer(-3, 4)];
    }
    REQUIRE(counts.size() == 7);
    CHECK(counts.begin()->first == -3);
    CHECK(counts.rbegin()->first == 3);
    // Five standard errors of a 1/7 frequency.
    const double bound = 5 * std::sqrt((1.0 / 7) * (6.0 / 7) / draws);
    for (const auto &[value, count] : counts) {
        CAPTURE(value);
        CHECK(std::abs(count / static_cast<double>(draws) - 1.0 / 7) < bound);
    }

    for (int i = 0; i < 100; ++i) {
        REQUIRE(random.integer(5, 6) == 5);
    }
    // A range wider than 2^32 takes the rejection path and the full int64 range must not overflow.
    for (int i = 0; i < 1000; ++i) {
        const auto wide = random.integer(-(std::int64_t{1} << 40), std::int64_t{1} << 40);
        REQUIRE(wide >= -(std::int64_t{1} << 40));
        REQUIRE(wide < (std::int64_t{1} << 40));
        const auto full = random.integer(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
        REQUIRE(full < std::numeric_limits<std::int64_t>::max());
    }
    CHECK_THROWS_AS(random.integer(4, 4), std::invalid_argument);
    CHECK_THROWS_AS(random.integer(5, 4), std::invalid_argument);
}

TEST_CASE("noise corruptions same seed same bytes")
{
    const auto image = gradient_image();
    const crimp::corruption::corruption_resources resources;
    for (const auto &name : noise_corruptions) {
        const int index = crimp::corruption::corruption_index(name);
        for (int severity = 1; severity <= crimp::corruption::severities; ++severity) {
            CAPTURE(name);
            CAPTURE(severity);
            const auto first = crimp::corruption::apply_corruption(index, severity, image, 11, 3, resources);
            const auto again = crimp::corruption::apply_corruption(index, severity, image, 11, 3, resources);
            const auto other_seed = crimp::corruption::apply_corruption(index, severity, image, 12, 3, resources);
            const auto other_image = crimp::corruption::apply_corruption(index, severity, image, 11, 4, resources);
            CHECK(first == again);
            CHECK(first != other_seed);
            CHECK(first != other_image);
            CHECK(first != image);
        }
    }
}

TEST_CASE("impulse_noise sets only 0 or 255")
{
    const auto image = gradient_image();
    const int index = crimp::corruption::corruption_index("impulse_noise");
    for (int severity = 1; severity <= crimp::corruption::severities; ++severity) {
        CAPTURE(severity);
        const auto output = crimp::corruption::apply_corruption(index, severity, image, 0, 0, {});
        for (std::size_t i = 0; i < image.size(); ++i) {
            REQUIRE((output[i] == image[i] || output[i] == 0 || output[i] == 255));
        }
    }
}

TEST_CASE("shot_noise keeps black pixels black")
{
    const crimp::corruption::rgb_image black{};
    const int index = crimp::corruption::corruption_index("shot_noise");
    for (int severity = 1; severity <= crimp::corruption::severities; ++severity) {
        CAPTURE(severity);
        CHECK(crimp::corruption::apply_corruption(index, severity, black, 0, 0, {}) == black);
    }
}

TEST_CASE("speckle_noise keeps black pixels black")
{
    const crimp::corruption::rgb_image black{};
    const int index = crimp::corruption::corruption_index("speckle_noise");
    for (int severity = 1; severity <= crimp::corruption::severities; ++severity) {
        CAPTURE(severity);
        CHECK(crimp::corruption::apply_corruption(index, severity, black, 0, 0, {}) == black);
    }
}

TEST_CASE("gaussian_noise matches reference statistics")
{
    crimp::testing::check_corruption_statistics("gaussian_noise");
}

TEST_CASE("shot_noise matches reference statistics")
{
    crimp::testing::check_corruption_statistics("shot_noise");
}

TEST_CASE("impulse_noise matches reference statistics")
{
    crimp::testing::check_corruption_statistics("impulse_noise");
}

TEST_CASE("speckle_noise matches reference statistics")
{
    crimp::testing::check_corruption_statistics("speckle_noise");
}
