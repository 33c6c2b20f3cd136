#pragma once

#include <crimp/objectives/corruption_error.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crimp::objectives
{

// Per-image top-1 outcomes of a model and its baseline on the same sampled images of one
// (corruption, severity): 1 where the prediction was correct.
struct paired_outcomes {
    std::string corruption;
    int severity = 0;
    std::vector<std::uint8_t> model_correct;
    std::vector<std::uint8_t> baseline_correct;
};

struct interval {
    double low = 0.0;
    double high = 0.0;
};

// The smallest resample count mce_bootstrap_interval accepts. With 100 resamples, each bound of a 95 %
// interval comes from the 3rd and 4th most extreme resamples. Use 1000 or more for reported intervals.
inline constexpr int minimum_bootstrap_resamples = 100;

// Computes a percentile bootstrap interval of the mCE (score_robustness without rounding), in percent.
// Each resample draws every (corruption, severity) cell's images with replacement, keeping model and
// baseline paired, and recomputes the mCE. The bounds are the (1 - level) / 2 and (1 + level) / 2
// quantiles of the resampled mCEs, interpolated linearly between order statistics (Hyndman and Fan's
// type 7, the default of R's quantile and numpy.quantile). Draws come from splitmix64, so the same
// inputs and seed give the same interval on every platform. The mCE does not depend on the clean
// errors, so they are only checked to lie in [0, 1].
//
// `outcomes` needs one cell for each (benchmark corruption, severity 1..5). Cells of the extra
// corruptions are checked but do not affect the result, because they never enter the mCE. Raises
// std::invalid_argument for a level outside (0, 1), fewer than minimum_bootstrap_resamples resamples,
// a clean error outside [0, 1], or a cell that is unknown, duplicated, missing, empty, has outcome
// vectors of different lengths or values other than 0 and 1. It also raises when the baseline, in the
// sample or in a resample, makes no error on any severity of a benchmark corruption, because that CE
// is undefined.
interval mce_bootstrap_interval(const std::vector<paired_outcomes> &outcomes, double clean_model_error,
                                double clean_baseline_error, double level, int resamples, std::uint64_t seed);

} // namespace crimp::objectives
