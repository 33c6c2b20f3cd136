#include <crimp/objectives/corruption_error.hpp>

#include <crimp/engine/error.hpp>

#include <crimp/corruption/corruption.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace crimp::objectives
{

namespace
{

constexpr int severity_count = corruption::severities;

std::vector<std::string> corruption_names(bool benchmark)
{
    std::vector<std::string> names;
    for (const auto &info : corruption::corruption_list()) {
        if (info.benchmark == benchmark) {
            names.emplace_back(info.name);
        }
    }
    return names;
}

int count_severities(const error_table &table, const std::string &corruption)
{
    int count = 0;
    for (int severity = 1; severity <= severity_count; ++severity) {
        count += static_cast<int>(table.corruption_errors.count({corruption, severity}));
    }
    return count;
}

// The errors of one corruption at severities 1 to 5, each minus `offset` (0, or the clean error for
// the relative CE). `role` names the table in messages.
std::vector<double> severity_errors(const error_table &table, const std::string &corruption, double offset,
                                    const char *role)
{
    std::vector<double> errors;
    for (int severity = 1; severity <= severity_count; ++severity) {
        const auto found = table.corruption_errors.find({corruption, severity});
        if (found == table.corruption_errors.end()) {
            throw std::invalid_argument(std::string(role) + " error table has no entry for " + corruption +
                                        " severity " + std::to_string(severity));
        }
        const double error = found->second;
        if (!(error >= 0.0 && error <= 1.0)) {
            throw std::invalid_argument(std::string(role) + " error for " + corruption + " severity " +
                                        std::to_string(severity) + " is " + std::to_string(error) +
                                        ", outside [0, 1]");
        }
        errors.push_back(error - offset);
    }
    return errors;
}

double sum(const std::vector<double> &values)
{
    // Severity order, so the result never depends on how the table was filled.
    double total = 0.0;
    for (const double value : values) {
        total += value;
    }
    return total;
}

// 100 · Σ_s model / Σ_s baseline. A baseline sum of 0 raises for the CE. For the relative CE it gives
// NaN, because a baseline that predicts the same under corruption as on clean images (an untrained
// network, for one) leaves the relative CE undefined while its CE is still valid.
double error_ratio(const std::vector<double> &model, const std::vector<double> &baseline,
                   const std::string &corruption, bool relative)
{
    const double denominator = sum(baseline);
    if (denominator == 0.0) {
        if (relative) {
            return std::numeric_limits<double>::quiet_NaN();
        }
        throw std::invalid_argument("the baseline's errors on " + corruption + " sum to 0 over severities 1-" +
                                    std::to_string(severity_count) + ", so the CE of " + corruption +
                                    " is undefined");
    }
    // The parentheses make a model scored against itself exactly 100.
    return 100.0 * (sum(model) / denominator);
}

void check_clean_error(double error, const char *role)
{
    if (!(error >= 0.0 && error <= 1.0)) {
        throw std::invalid_argument(std::string(role) + " clean error is " + std::to_string(error) +
                                    ", outside [0, 1]");
    }
}

// Half away from zero, as std::round does.
double round_to_decimals(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

double mean(const std::vector<double> &values)
{
    return values.empty() ? 0.0 : sum(values) / static_cast<double>(values.size());
}

} // namespace

const std::vector<std::string> &benchmark_corruptions()
{
    static const std::vector<std::string> names = corruption_names(true);
    return names;
}

const std::vector<std::string> &extra_corruptions()
{
    static const std::vector<std::string> names = corruption_names(false);
    return names;
}

robustness_scores score_robustness(const error_table &model, const error_table &baseline, rounding_mode rounding)
{
    check_clean_error(model.clean_error, "model");
    check_clean_error(baseline.clean_error, "baseline");
    // Paper rounding, as in the tables of arXiv:2512.24971: each CE_c to an integer before the mean, and
    // the means to one decimal.
    const auto round_ce = [rounding](double value) {
        return rounding == rounding_mode::paper ? round_to_decimals(value, 0) : value;
    };
    const auto round_mean = [rounding](double value) {
        return rounding == rounding_mode::paper ? round_to_decimals(value, 1) : value;
    };

    robustness_scores scores;
    std::vector<double> benchmark_ces;
    std::vector<double> benchmark_relative_ces;
    std::vector<double> benchmark_errors;
    for (const auto &corruption : benchmark_corruptions()) {
        const auto model_errors = severity_errors(model, corruption, 0.0, "model");
        const auto baseline_errors = severity_errors(baseline, corruption, 0.0, "baseline");
        const auto model_relative = severity_errors(model, corruption, model.clean_error, "model");
        const auto baseline_relative = severity_errors(baseline, corruption, baseline.clean_error, "baseline");

        const double ce = round_ce(error_ratio(model_errors, baseline_errors, corruption, false));
        const double relative_ce =
            round_ce(error_ratio(model_relative, baseline_relative, corruption, true));
        scores.corruption_errors[corruption] = ce;
        scores.relative_corruption_errors[corruption] = relative_ce;
        benchmark_ces.push_back(ce);
        benchmark_relative_ces.push_back(relative_ce);
        benchmark_errors.insert(benchmark_errors.end(), model_errors.begin(), model_errors.end());
    }
    scores.mce = round_mean(mean(benchmark_ces));
    scores.relative_mce = round_mean(mean(benchmark_relative_ces));
    scores.mean_corruption_error = 100.0 * mean(benchmark_errors);

    // An extra corruption gets a CE only when both tables contain it. A table with some but not all of
    // its severities raises, as for the benchmark corruptions.
    std::vector<double> extra_errors;
    for (const auto &corruption : extra_corruptions()) {
        const int model_count = count_severities(model, corruption);
        const int baseline_count = count_severities(baseline, corruption);
        if (model_count == 0) {
            continue;
        }
        const auto model_errors = severity_errors(model, corruption, 0.0, "model");
        extra_errors.insert(extra_errors.end(), model_errors.begin(), model_errors.end());
        if (baseline_count == 0) {
            continue;
        }
        const auto baseline_errors = severity_errors(baseline, corruption, 0.0, "baseline");
        const auto model_relative = severity_errors(model, corruption, model.clean_error, "model");
        const auto baseline_relative = severity_errors(baseline, corruption, baseline.clean_error, "baseline");
        scores.corruption_errors[corruption] =
            round_ce(error_ratio(model_errors, baseline_errors, corruption, false));
        scores.relative_corruption_errors[corruption] =
            round_ce(error_ratio(model_relative, baseline_relative, corruption, true));
    }
    scores.extra_mean_corruption_error = 100.0 * mean(extra_errors);
    return scores;
}

rounding_mode parse_rounding_mode(const std::string &name)
{
    if (name == "none") {
        return rounding_mode::none;
    }
    if (name == "paper") {
        return rounding_mode::paper;
    }
    throw usage_error("invalid rounding '" + name + "': expected none or paper");
}

} // namespace crimp::objectives
