#include <crimp/objectives/corruption_error.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

using namespace crimp::objectives;

namespace
{

// A table with the same error at every benchmark (corruption, severity).
error_table uniform_table(double clean_error, double error)
{
    error_table table;
    table.clean_error = clean_error;
    for (const auto &corruption : benchmark_corruptions()) {
        for (int severity = 1; severity <= 5; ++severity) {
            table.corruption_errors[{corruption, severity}] = error;
        }
    }
    return table;
}

void set_errors(error_table &table, const std::string &corruption, const std::vector<double> &errors)
{
    for (int severity = 1; severity <= static_cast<int>(errors.size()); ++severity) {
        table.corruption_errors[{corruption, severity}] = errors[static_cast<std::size_t>(severity - 1)];
    }
}

// Baseline and model with known CE values: gaussian_noise 50, shot_noise 100 (equal sums, unequal
// severities) and 100 for every other benchmark corruption. Relative CE: 50 for gaussian_noise, 150
// for the other 14.
struct hand_computed_case {
    error_table baseline = uniform_table(0.10, 0.20);
    error_table model = uniform_table(0.05, 0.20);

    hand_computed_case()
    {
        set_errors(baseline, "shot_noise", {0.5, 0.1, 0.1, 0.1, 0.2});
        set_errors(model, "gaussian_noise", {0.1, 0.1, 0.1, 0.1, 0.1});
        set_errors(model, "shot_noise", {0.1, 0.1, 0.1, 0.1, 0.6});
    }
};

} // namespace

TEST_CASE("corruption lists follow CIFAR-10-C")
{
    const std::vector<std::string> benchmark = {
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur",
        "motion_blur",    "zoom_blur",  "snow",          "frost",        "fog",
        "brightness",     "contrast",   "elastic_transform", "pixelate", "jpeg_compression"};
    const std::vector<std::string> extra = {"speckle_noise", "gaussian_blur", "spatter", "saturate"};

    CHECK(benchmark_corruptions() == benchmark);
    CHECK(extra_corruptions() == extra);
}

TEST_CASE("model scored against itself")
{
    error_table table = uniform_table(0.07, 0.0);
    int index = 0;
    for (auto &[key, error] : table.corruption_errors) {
        error = 0.08 + 0.01 * (index++ % 23);
    }

    for (const auto rounding : {rounding_mode::none, rounding_mode::paper}) {
        const auto scores = score_robustness(table, table, rounding);
        CHECK(scores.mce == doctest::Approx(100.0));
        CHECK(scores.relative_mce == doctest::Approx(100.0));
        CHECK(scores.corruption_errors.size() == 15);
        for (const auto &[corruption, ce] : scores.corruption_errors) {
            INFO(corruption);
            CHECK(ce == doctest::Approx(100.0));
        }
    }
}

TEST_CASE("hand-computed corruption errors")
{
    const hand_computed_case inputs;
    const auto scores = score_robustness(inputs.model, inputs.baseline, rounding_mode::none);

    CHECK(scores.corruption_errors.at("gaussian_noise") == doctest::Approx(50.0));
    CHECK(scores.corruption_errors.at("shot_noise") == doctest::Approx(100.0));
    CHECK(scores.corruption_errors.at("fog") == doctest::Approx(100.0));
    CHECK(scores.mce == doctest::Approx(1450.0 / 15.0));

    // Relative: Σ(0.1 − 0.05) / Σ(0.2 − 0.1) for gaussian_noise, Σ(0.2 − 0.05) / Σ(0.2 − 0.1) for fog,
    // and (1.0 − 5 · 0.05) / (1.0 − 5 · 0.1) for shot_noise.
    CHECK(scores.relative_corruption_errors.at("gaussian_noise") == doctest::Approx(50.0));
    CHECK(scores.relative_corruption_errors.at("shot_noise") == doctest::Approx(150.0));
    CHECK(scores.relative_corruption_errors.at("fog") == doctest::Approx(150.0));
    CHECK(scores.relative_mce == doctest::Approx(2150.0 / 15.0));

    // Model errors sum to 0.5 + 1.0 + 13 · 1.0 over 75 entries.
    CHECK(scores.mean_corruption_error == doctest::Approx(100.0 * 14.5 / 75.0));
    CHECK(scores.extra_mean_corruption_error == 0.0);
}

TEST_CASE("paper rounding of CE and mCE")
{
    const auto baseline = uniform_table(0.1, 0.2);
    auto model = uniform_table(0.1, 0.2);
    set_errors(model, "gaussian_noise", {0.1688, 0.1688, 0.1688, 0.1688, 0.1688}); // CE 84.4
    set_errors(model, "shot_noise", {0.1692, 0.1692, 0.1692, 0.1692, 0.1692});     // CE 84.6
    set_errors(model, "impulse_noise", {0.1688, 0.1688, 0.1688, 0.1688, 0.1688});  // CE 84.4

    const auto exact = score_robustness(model, baseline, rounding_mode::none);
    CHECK(exact.corruption_errors.at("gaussian_noise") == doctest::Approx(84.4));
    CHECK(exact.corruption_errors.at("shot_noise") == doctest::Approx(84.6));
    CHECK(exact.mce == doctest::Approx((84.4 + 84.6 + 84.4 + 1200.0) / 15.0));

    const auto paper = score_robustness(model, baseline, rounding_mode::paper);
    CHECK(paper.corruption_errors.at("gaussian_noise") == 84.0);
    CHECK(paper.corruption_errors.at("shot_noise") == 85.0);
    CHECK(paper.corruption_errors.at("impulse_noise") == 84.0);
    // (84 + 85 + 84 + 1200) / 15 = 96.8667, rounded to one decimal.
    CHECK(paper.mce == doctest::Approx(96.9).epsilon(1e-12));
}

TEST_CASE("paper rounding of a tie")
{
    // 100 · (5 · 0.125) / (5 · 0.2) is 62.5 in binary floating point as well.
    const auto baseline = uniform_table(0.1, 0.2);
    auto model = uniform_table(0.1, 0.2);
    set_errors(model, "fog", {0.125, 0.125, 0.125, 0.125, 0.125});

    const auto exact = score_robustness(model, baseline, rounding_mode::none);
    REQUIRE(exact.corruption_errors.at("fog") == 62.5);

    // Half away from zero, unlike Python's round(), which rounds half to even (62).
    const auto paper = score_robustness(model, baseline, rounding_mode::paper);
    CHECK(paper.corruption_errors.at("fog") == 63.0);
}

TEST_CASE("extra corruptions never enter mCE")
{
    const hand_computed_case inputs;
    const auto without_extras = score_robustness(inputs.model, inputs.baseline, rounding_mode::none);

    auto model = inputs.model;
    auto baseline = inputs.baseline;
    for (const auto &corruption : extra_corruptions()) {
        set_errors(model, corruption, {0.9, 0.9, 0.9, 0.9, 0.9});
        set_errors(baseline, corruption, {0.2, 0.2, 0.2, 0.2, 0.2});
    }
    const auto with_extras = score_robustness(model, baseline, rounding_mode::none);

    CHECK(with_extras.mce == without_extras.mce);
    CHECK(with_extras.relative_mce == without_extras.relative_mce);
    CHECK(with_extras.mean_corruption_error == without_extras.mean_corruption_error);
    CHECK(with_extras.corruption_errors.size() == 19);
    CHECK(with_extras.corruption_errors.at("spatter") == doctest::Approx(450.0));
    // Σ(0.9 − 0.05) / Σ(0.2 − 0.1)
    CHECK(with_extras.relative_corruption_errors.at("saturate") == doctest::Approx(850.0));
    CHECK(with_extras.extra_mean_corruption_error == doctest::Approx(90.0));
}

TEST_CASE("extra corruption missing from baseline")
{
    const hand_computed_case inputs;
    auto model = inputs.model;
    set_errors(model, "speckle_noise", {0.3, 0.3, 0.3, 0.3, 0.3});

    const auto scores = score_robustness(model, inputs.baseline, rounding_mode::none);

    CHECK(scores.corruption_errors.count("speckle_noise") == 0);
    CHECK(scores.relative_corruption_errors.count("speckle_noise") == 0);
    CHECK(scores.corruption_errors.size() == 15);
    CHECK(scores.extra_mean_corruption_error == doctest::Approx(30.0));
}

TEST_CASE("table fill order does not matter")
{
    const hand_computed_case inputs;
    error_table reversed_model;
    reversed_model.clean_error = inputs.model.clean_error;
    for (auto entry = inputs.model.corruption_errors.rbegin(); entry != inputs.model.corruption_errors.rend();
         ++entry) {
        reversed_model.corruption_errors.insert(*entry);
    }

    const auto forward = score_robustness(inputs.model, inputs.baseline, rounding_mode::none);
    const auto reversed = score_robustness(reversed_model, inputs.baseline, rounding_mode::none);

    CHECK(forward.mce == reversed.mce);
    CHECK(forward.relative_mce == reversed.relative_mce);
    CHECK(forward.corruption_errors == reversed.corruption_errors);
}

TEST_CASE("missing entries raise")
{
    const hand_computed_case inputs;
    auto model = inputs.model;
    model.corruption_errors.erase({"fog", 4});
    auto baseline = inputs.baseline;
    baseline.corruption_errors.erase({"jpeg_compression", 1});

    CHECK_THROWS_WITH_AS(score_robustness(model, inputs.baseline, rounding_mode::none),
                         doctest::Contains("model error table has no entry for fog severity 4"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(score_robustness(inputs.model, baseline, rounding_mode::paper),
                         doctest::Contains("baseline error table has no entry for jpeg_compression severity 1"),
                         std::invalid_argument);
}

TEST_CASE("partial extra corruption raises")
{
    const hand_computed_case inputs;
    auto model = inputs.model;
    set_errors(model, "spatter", {0.3, 0.3});

    CHECK_THROWS_WITH_AS(score_robustness(model, inputs.baseline, rounding_mode::none),
                         doctest::Contains("no entry for spatter severity 3"), std::invalid_argument);
}

TEST_CASE("zero baseline error sum raises")
{
    const hand_computed_case inputs;
    auto baseline = inputs.baseline;
    set_errors(baseline, "contrast", {0.0, 0.0, 0.0, 0.0, 0.0});

    CHECK_THROWS_WITH_AS(score_robustness(inputs.model, baseline, rounding_mode::none),
                         doctest::Contains("CE of contrast is undefined"), std::invalid_argument);
}

TEST_CASE("zero baseline relative sum gives NaN")
{
    // Baseline errors on frost equal its clean error (0.1) on average, so Σ(E − clean) is 0.
    const hand_computed_case inputs;
    auto baseline = inputs.baseline;
    set_errors(baseline, "frost", {0.0, 0.1, 0.1, 0.1, 0.2});

    for (const auto rounding : {rounding_mode::none, rounding_mode::paper}) {
        const auto scores = score_robustness(inputs.model, baseline, rounding);
        CHECK(std::isnan(scores.relative_corruption_errors.at("frost")));
        CHECK(std::isnan(scores.relative_mce));
        CHECK(scores.relative_corruption_errors.at("fog") == doctest::Approx(150.0));
        CHECK(scores.corruption_errors.at("frost") == doctest::Approx(200.0));
        CHECK(std::isfinite(scores.mce));
    }
}

TEST_CASE("untrained model against itself")
{
    // A network that predicts one class has the same error everywhere: CE 100, relative CE undefined.
    const auto table = uniform_table(0.9, 0.9);

    const auto scores = score_robustness(table, table, rounding_mode::paper);

    CHECK(scores.mce == 100.0);
    CHECK(std::isnan(scores.relative_mce));
}

TEST_CASE("errors outside the unit interval raise")
{
    const hand_computed_case inputs;
    auto model = inputs.model;
    model.corruption_errors[{"snow", 2}] = 1.5;
    auto baseline = inputs.baseline;
    baseline.clean_error = -0.1;

    CHECK_THROWS_WITH_AS(score_robustness(model, inputs.baseline, rounding_mode::none),
                         doctest::Contains("snow severity 2"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(score_robustness(inputs.model, baseline, rounding_mode::none),
                         doctest::Contains("baseline clean error"), std::invalid_argument);
}
