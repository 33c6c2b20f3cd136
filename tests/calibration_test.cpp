#include <crimp/engine/rng.hpp>
#include <crimp/objectives/calibration.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

using crimp::objectives::expected_calibration_error;

TEST_CASE("calibration error of calibrated bins is zero")
{
    // In every bin, the share of correct predictions equals the confidence they all share.
    std::vector<float> confidences;
    std::vector<std::uint8_t> correct;
    for (int tenth = 1; tenth <= 10; ++tenth) {
        for (int i = 0; i < 10; ++i) {
            confidences.push_back(static_cast<float>(tenth) / 10.0F);
            correct.push_back(i < tenth ? 1 : 0);
        }
    }

    CHECK(expected_calibration_error(confidences, correct) == doctest::Approx(0.0).epsilon(1e-6));
}

TEST_CASE("calibration error of sampled calibrated model")
{
    // Each prediction is correct with probability equal to its confidence, so only sampling noise is
    // left: an estimated 0.004 for 100,000 predictions over 15 bins.
    crimp::splitmix64 generator(2017);
    std::vector<float> confidences(100000);
    std::vector<std::uint8_t> correct(confidences.size());
    for (std::size_t i = 0; i < confidences.size(); ++i) {
        confidences[i] = static_cast<float>(generator.uniform());
        correct[i] = generator.uniform() < confidences[i] ? 1 : 0;
    }

    CHECK(expected_calibration_error(confidences, correct) < 0.01);
}

TEST_CASE("calibration error of hand-computed case")
{
    // With 4 bins, (0, 0.25] also contains 0, and the edges 0.25 and 0.5 stay in the lower bin:
    //   bin 0: {0 wrong, 0.25 wrong}    accuracy 0, confidence 0.125 -> 2 · 0.125 = 0.25
    //   bin 1: {0.5 right}              accuracy 1, confidence 0.5   -> 1 · 0.5   = 0.5
    //   bin 2: {0.625 wrong}            accuracy 0, confidence 0.625 -> 1 · 0.625 = 0.625
    //   bin 3: {1 right, 1 wrong}       accuracy 0.5, confidence 1   -> 2 · 0.5   = 1
    // ECE = (0.25 + 0.5 + 0.625 + 1) / 6 = 19 / 48. Moving 0.25 or 0.5 up a bin would give 15 / 48
    // or 11 / 48.
    const std::vector<float> confidences{0.0F, 0.25F, 0.5F, 0.625F, 1.0F, 1.0F};
    const std::vector<std::uint8_t> correct{0, 0, 1, 0, 1, 0};

    CHECK(expected_calibration_error(confidences, correct, 4) == doctest::Approx(19.0 / 48.0).epsilon(1e-12));
}

TEST_CASE("calibration error of one bin")
{
    // A single bin compares overall accuracy with mean confidence: |0.5 - 0.7| = 0.2.
    const std::vector<float> confidences{0.6F, 0.8F, 0.6F, 0.8F};
    const std::vector<std::uint8_t> correct{1, 0, 0, 1};

    CHECK(expected_calibration_error(confidences, correct, 1) == doctest::Approx(0.2).epsilon(1e-6));
}

TEST_CASE("calibration error of confident wrong model")
{
    const std::vector<float> confidences(50, 1.0F);
    const std::vector<std::uint8_t> correct(50, 0);

    CHECK(expected_calibration_error(confidences, correct) == 1.0);
}

TEST_CASE("calibration error rejects invalid input")
{
    const std::vector<float> confidences{0.2F, 0.9F};
    const std::vector<std::uint8_t> correct{0, 1};

    CHECK_THROWS_AS(expected_calibration_error({}, {}), std::invalid_argument);
    CHECK_THROWS_AS(expected_calibration_error(confidences, {1}), std::invalid_argument);
    CHECK_THROWS_AS(expected_calibration_error(confidences, correct, 0), std::invalid_argument);
    CHECK_THROWS_AS(expected_calibration_error({0.2F, 1.5F}, correct), std::invalid_argument);
    CHECK_THROWS_AS(expected_calibration_error({-0.1F, 0.9F}, correct), std::invalid_argument);
    CHECK_THROWS_AS(expected_calibration_error({0.2F, std::numeric_limits<float>::quiet_NaN()}, correct),
                    std::invalid_argument);
    CHECK_THROWS_AS(expected_calibration_error(confidences, {0, 2}), std::invalid_argument);
}
