#include <crimp/engine/rng.hpp>
#include <crimp/objectives/confidence_interval.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

using namespace crimp::objectives;

namespace
{

constexpr double clean_model_error = 0.06;
constexpr double clean_baseline_error = 0.08;

// Images of one (corruption, severity) cell by joint outcome, in this order: both wrong, only the model
// wrong, only the baseline wrong, both correct.
using joint_counts = std::array<int, 4>;

struct population_cell {
    std::string corruption;
    int severity = 0;
    joint_counts counts{};
};

// A synthetic full test set: 10,000 paired outcomes per benchmark cell. The baseline error grows with
// severity and differs per corruption (0.15 to 0.57). The model's is 0.8 to 1.22 times the baseline's.
// Images that both get wrong make up 70 % of the smaller error rate, so the pairs are correlated.
std::vector<population_cell> synthetic_population()
{
    constexpr int images = 10000;
    std::vector<population_cell> cells;
    const auto &corruptions = benchmark_corruptions();
    for (std::size_t c = 0; c < corruptions.size(); ++c) {
        for (int severity = 1; severity <= 5; ++severity) {
            const double baseline_error = 0.08 + 0.07 * severity + 0.01 * static_cast<double>(c);
            const double model_error = baseline_error * (0.8 + 0.03 * static_cast<double>(c));
            const double both_wrong = 0.7 * std::min(model_error, baseline_error);

            population_cell cell{corruptions[c], severity, {}};
            cell.counts[0] = static_cast<int>(std::lround(both_wrong * images));
            cell.counts[1] = static_cast<int>(std::lround((model_error - both_wrong) * images));
            cell.counts[2] = static_cast<int>(std::lround((baseline_error - both_wrong) * images));
            cell.counts[3] = images - cell.counts[0] - cell.counts[1] - cell.counts[2];
            cells.push_back(cell);
        }
    }
    return cells;
}

// The mCE of the whole population, exact up to rounding.
double population_mce(const std::vector<population_cell> &population)
{
    error_table model;
    error_table baseline;
    model.clean_error = clean_model_error;
    baseline.clean_error = clean_baseline_error;
    for (const auto &cell : population) {
        const double size = cell.counts[0] + cell.counts[1] + cell.counts[2] + cell.counts[3];
        model.corruption_errors[{cell.corruption, cell.severity}] = (cell.counts[0] + cell.counts[1]) / size;
        baseline.corruption_errors[{cell.corruption, cell.severity}] = (cell.counts[0] + cell.counts[2]) / size;
    }
    return score_robustness(model, baseline, rounding_mode::none).mce;
}

paired_outcomes outcomes_from_counts(const std::string &corruption, int severity, const joint_counts &counts)
{
    constexpr std::array<std::uint8_t, 4> model_correct{0, 0, 1, 1};
    constexpr std::array<std::uint8_t, 4> baseline_correct{0, 1, 0, 1};
    paired_outcomes cell{corruption, severity, {}, {}};
    for (std::size_t kind = 0; kind < counts.size(); ++kind) {
        cell.model_correct.insert(cell.model_correct.end(), static_cast<std::size_t>(counts[kind]),
                                  model_correct[kind]);
        cell.baseline_correct.insert(cell.baseline_correct.end(), static_cast<std::size_t>(counts[kind]),
                                     baseline_correct[kind]);
    }
    return cell;
}

// Draws `size` images of every cell uniformly without replacement, ignoring classes.
std::vector<paired_outcomes> sample_population(const std::vector<population_cell> &population, int size,
                                               crimp::splitmix64 &generator)
{
    std::vector<paired_outcomes> sample;
    for (const auto &cell : population) {
        joint_counts remaining = cell.counts;
        int remaining_total = remaining[0] + remaining[1] + remaining[2] + remaining[3];
        joint_counts drawn{};
        for (int draw = 0; draw < size; ++draw) {
            auto position = static_cast<int>(generator.below(static_cast<std::uint64_t>(remaining_total)));
            std::size_t kind = 0;
            while (position >= remaining[kind]) {
                position -= remaining[kind];
                ++kind;
            }
            --remaining[kind];
            --remaining_total;
            ++drawn[kind];
        }
        sample.push_back(outcomes_from_counts(cell.corruption, cell.severity, drawn));
    }
    return sample;
}

std::vector<paired_outcomes> sample_population(int size, std::uint64_t seed)
{
    crimp::splitmix64 generator(seed);
    return sample_population(synthetic_population(), size, generator);
}

double sample_mce(const std::vector<paired_outcomes> &sample)
{
    error_table model;
    error_table baseline;
    for (const auto &cell : sample) {
        const auto size = static_cast<double>(cell.model_correct.size());
        int model_wrong = 0;
        int baseline_wrong = 0;
        for (std::size_t i = 0; i < cell.model_correct.size(); ++i) {
            model_wrong += cell.model_correct[i] == 0;
            baseline_wrong += cell.baseline_correct[i] == 0;
        }
        model.corruption_errors[{cell.corruption, cell.severity}] = model_wrong / size;
        baseline.corruption_errors[{cell.corruption, cell.severity}] = baseline_wrong / size;
    }
    return score_robustness(model, baseline, rounding_mode::none).mce;
}

interval bootstrap(const std::vector<paired_outcomes> &sample, int resamples, std::uint64_t seed)
{
    return mce_bootstrap_interval(sample, clean_model_error, clean_baseline_error, 0.95, resamples, seed);
}

} // namespace

TEST_CASE("mCE interval covers full-set value")
{
    // Each trial samples 200 images per cell from the synthetic full set and checks whether the 95 %
    // interval contains the full-set mCE. The percentile bootstrap undercovers slightly here: over 5,600
    // trials of this simulation, its coverage was 0.940. The coverage of 200 trials is
    // binomial, so the check allows 3 standard errors below 0.94, sqrt(0.94 · 0.06 / 200) = 0.0168 each,
    // and 3 above 0.95, sqrt(0.95 · 0.05 / 200) = 0.0154 each: coverage must lie in [0.890, 0.996].
    constexpr int trials = 200;
    constexpr int sample_size = 200;
    constexpr int resamples = 300;
    const auto population = synthetic_population();
    const double full_mce = population_mce(population);

    int covered = 0;
    for (int trial = 0; trial < trials; ++trial) {
        crimp::splitmix64 generator(crimp::derive_seed(2024, static_cast<std::uint64_t>(trial)));
        const auto sample = sample_population(population, sample_size, generator);
        const auto bounds = bootstrap(sample, resamples, generator.next());
        covered += bounds.low <= full_mce && full_mce <= bounds.high;
    }

    const double coverage = static_cast<double>(covered) / trials;
    INFO("full-set mCE " << full_mce << ", coverage " << coverage);
    CHECK(coverage >= 0.94 - 3.0 * std::sqrt(0.94 * 0.06 / trials));
    CHECK(coverage <= 0.95 + 3.0 * std::sqrt(0.95 * 0.05 / trials));
}

TEST_CASE("mCE interval of model against itself")
{
    auto sample = sample_population(200, 5);
    for (auto &cell : sample) {
        cell.baseline_correct = cell.model_correct;
    }

    // Every resample has CE_c = 100 · Σ E / Σ E. Computed as (100 · x) / x, that can be 1 ulp off 100.
    const auto bounds = bootstrap(sample, 500, 1);
    CHECK(bounds.low == doctest::Approx(100.0).epsilon(1e-12));
    CHECK(bounds.high == doctest::Approx(100.0).epsilon(1e-12));
}

TEST_CASE("mCE interval depends on seed")
{
    const auto sample = sample_population(200, 11);

    const auto first = bootstrap(sample, 1000, 3);
    const auto same_seed = bootstrap(sample, 1000, 3);
    const auto other_seed = bootstrap(sample, 1000, 4);
    CHECK(first.low == same_seed.low);
    CHECK(first.high == same_seed.high);
    CHECK(first.low != other_seed.low);
    CHECK(first.high != other_seed.high);
}

TEST_CASE("mCE interval narrows with sample size")
{
    // The width scales with 1 / sqrt(N), so 10 times more images make it about 3.2 times narrower.
    const auto small_sample = sample_population(100, 21);
    const auto large_sample = sample_population(1000, 21);

    const auto small = bootstrap(small_sample, 1000, 8);
    const auto large = bootstrap(large_sample, 1000, 8);
    CHECK(small.low < sample_mce(small_sample));
    CHECK(sample_mce(small_sample) < small.high);
    CHECK(large.low < sample_mce(large_sample));
    CHECK(sample_mce(large_sample) < large.high);
    CHECK(large.high - large.low < 0.5 * (small.high - small.low));
}

TEST_CASE("mCE interval ignores extra corruptions")
{
    auto sample = sample_population(100, 31);
    const auto without_extra = bootstrap(sample, 200, 2);
    for (const auto &corruption : extra_corruptions()) {
        for (int severity = 1; severity <= 5; ++severity) {
            sample.push_back(outcomes_from_counts(corruption, severity, {10, 20, 30, 40}));
        }
    }

    const auto with_extra = bootstrap(sample, 200, 2);
    CHECK(with_extra.low == without_extra.low);
    CHECK(with_extra.high == without_extra.high);
}

TEST_CASE("mCE interval rejects invalid arguments")
{
    const auto sample = sample_population(50, 41);
    const double nan = std::numeric_limits<double>::quiet_NaN();

    CHECK_THROWS_AS(mce_bootstrap_interval(sample, 0.06, 0.08, 0.0, 200, 1), std::invalid_argument);
    CHECK_THROWS_AS(mce_bootstrap_interval(sample, 0.06, 0.08, 1.0, 200, 1), std::invalid_argument);
    CHECK_THROWS_AS(mce_bootstrap_interval(sample, 0.06, 0.08, nan, 200, 1), std::invalid_argument);
    CHECK_THROWS_AS(mce_bootstrap_interval(sample, 0.06, 0.08, 0.95, minimum_bootstrap_resamples - 1, 1),
                    std::invalid_argument);
    CHECK_THROWS_AS(mce_bootstrap_interval(sample, -0.1, 0.08, 0.95, 200, 1), std::invalid_argument);
    CHECK_THROWS_AS(mce_bootstrap_interval(sample, 0.06, nan, 0.95, 200, 1), std::invalid_argument);
    CHECK_NOTHROW(mce_bootstrap_interval(sample, 0.06, 0.08, 0.95, minimum_bootstrap_resamples, 1));
}

TEST_CASE("mCE interval rejects invalid cells")
{
    const auto valid = sample_population(50, 43);

    SUBCASE("missing cell")
    {
        auto sample = valid;
        sample.pop_back();
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
    SUBCASE("duplicate cell")
    {
        auto sample = valid;
        sample.push_back(valid.front());
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
    SUBCASE("unknown corruption")
    {
        auto sample = valid;
        sample.push_back(outcomes_from_counts("sepia", 1, {1, 1, 1, 1}));
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
    SUBCASE("severity out of range")
    {
        auto sample = valid;
        sample.push_back(outcomes_from_counts(benchmark_corruptions().front(), 6, {1, 1, 1, 1}));
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
    SUBCASE("empty cell")
    {
        auto sample = valid;
        sample.front().model_correct.clear();
        sample.front().baseline_correct.clear();
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
    SUBCASE("unequal lengths")
    {
        auto sample = valid;
        sample.front().baseline_correct.pop_back();
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
    SUBCASE("outcome other than 0 or 1")
    {
        auto sample = valid;
        sample.front().model_correct.front() = 2;
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
    SUBCASE("baseline without errors")
    {
        auto sample = valid;
        for (auto &cell : sample) {
            if (cell.corruption == benchmark_corruptions().front()) {
                std::fill(cell.baseline_correct.begin(), cell.baseline_correct.end(), std::uint8_t{1});
            }
        }
        CHECK_THROWS_AS(bootstrap(sample, 200, 1), std::invalid_argument);
    }
}

TEST_CASE("mCE interval rejects resample without baseline errors")
{
    // The baseline's only error on the first corruption is 1 of the 20 images at severity 1. A resample
    // misses it with probability (1 - 1/20)^20 ≈ 0.36, so some of 200 resamples have an undefined CE.
    auto sample = sample_population(20, 47);
    for (auto &cell : sample) {
        if (cell.corruption == benchmark_corruptions().front()) {
            std::fill(cell.baseline_correct.begin(), cell.baseline_correct.end(), std::uint8_t{1});
            if (cell.severity == 1) {
                cell.baseline_correct.front() = 0;
            }
        }
    }

    CHECK_THROWS_WITH_AS(bootstrap(sample, 200, 1), doctest::Contains("resample"), std::invalid_argument);
}
