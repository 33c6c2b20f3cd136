#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace crimp::objectives
{

// Top-1 errors of one model, as fractions in [0, 1]: on clean images and per (corruption, severity).
struct error_table {
    double clean_error = 0.0;
    std::map<std::pair<std::string, int>, double> corruption_errors;
};

// Rounding rule for corruption errors. `paper` reproduces the convention of Hendrycks and Dietterich's
// CIFAR-10-C tables as used by arXiv 2512.24971: each CE_c is rounded to an integer and the mCE to one
// decimal. `none` keeps full precision.
enum class rounding_mode { none, paper };

// Parses "none" or "paper"; raises crimp::usage_error naming the value otherwise.
rounding_mode parse_rounding_mode(const std::string &name);

// Robustness of a model relative to a baseline, over the 15 benchmark corruptions (the 4 extra ones
// are scored apart and never enter the means). All values are percentages.
struct robustness_scores {
    // CE_c = 100 · Σ_s E(model, c, s) / Σ_s E(baseline, c, s), per corruption: the 15 benchmark ones,
    // and each extra one that both tables contain.
    std::map<std::string, double> corruption_errors;
    // Relative CE_c: each E minus the model's (or baseline's) clean error before summing. NaN where the
    // baseline's differences sum to 0, and then the relative mCE is NaN too.
    std::map<std::string, double> relative_corruption_errors;
    // Means over the 15 benchmark corruptions; 100 for the baseline itself.
    double mce = 0.0;
    double relative_mce = 0.0;
    // Unnormalised mean of E(model, c, s) over the 15 benchmark corruptions and 5 severities, in %.
    double mean_corruption_error = 0.0;
    // The same unnormalised mean over the extra corruptions that the model's table contains, in %;
    // 0 when it contains none.
    double extra_mean_corruption_error = 0.0;
};

// The 15 benchmark corruptions of CIFAR-10-C and its 4 extra ones, by name.
const std::vector<std::string> &benchmark_corruptions();
const std::vector<std::string> &extra_corruptions();

// Scores a model against a baseline. Both tables need every (corruption, severity 1..5) of the 15
// benchmark corruptions, and a missing entry raises std::invalid_argument naming it. The same exception
// is raised for an error outside [0, 1], for an extra corruption with only some severities, and for a
// baseline whose errors on a corruption sum to 0, which leaves CE_c undefined. Paper rounding rounds
// half away from zero.
robustness_scores score_robustness(const error_table &model, const error_table &baseline, rounding_mode rounding);

} // namespace crimp::objectives
