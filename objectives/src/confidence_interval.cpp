#include <crimp/objectives/confidence_interval.hpp>

#include <crimp/engine/rng.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <stdexcept>
#include <utility>

namespace crimp::objectives
{

namespace
{

// Joint outcome counts of one (corruption, severity) cell. Only these counts matter to the mCE, so a
// resample lays the cell's images out in four blocks (both wrong, only the model wrong, only the
// baseline wrong, both correct) and draws positions in [0, size) with replacement.
struct cell_counts {
    std::uint64_t size = 0;
    std::uint64_t both_wrong = 0;
    std::uint64_t model_only_wrong = 0;
    std::uint64_t baseline_only_wrong = 0;
    // Entries of the resample's error tables that this cell writes to.
    double *model_error = nullptr;
    double *baseline_error = nullptr;
};

std::string cell_name(const paired_outcomes &cell)
{
    return "'" + cell.corruption + "' severity " + std::to_string(cell.severity);
}

bool contains(const std::vector<std::string> &names, const std::string &name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

void check_arguments(double clean_model_error, double clean_baseline_error, double level, int resamples)
{
    if (!(level > 0.0 && level < 1.0)) {
        throw std::invalid_argument("mce_bootstrap_interval: level must be in (0, 1), got " + std::to_string(level));
    }
    if (resamples < minimum_bootstrap_resamples) {
        throw std::invalid_argument("mce_bootstrap_interval: resamples must be at least " +
                                    std::to_string(minimum_bootstrap_resamples) + ", got " +
                                    std::to_string(resamples));
    }
    if (!(clean_model_error >= 0.0 && clean_model_error <= 1.0)) {
        throw std::invalid_argument("mce_bootstrap_interval: clean model error must be a fraction in [0, 1], got " +
                                    std::to_string(clean_model_error));
    }
    if (!(clean_baseline_error >= 0.0 && clean_baseline_error <= 1.0)) {
        throw std::invalid_argument(
            "mce_bootstrap_interval: clean baseline error must be a fraction in [0, 1], got " +
            std::to_string(clean_baseline_error));
    }
}

void check_cell(const paired_outcomes &cell)
{
    if (!contains(benchmark_corruptions(), cell.corruption) && !contains(extra_corruptions(), cell.corruption)) {
        throw std::invalid_argument("mce_bootstrap_interval: unknown corruption '" + cell.corruption + "'");
    }
    if (cell.severity < 1 || cell.severity > 5) {
        throw std::invalid_argument("mce_bootstrap_interval: severity must be in 1..5, got " + cell_name(cell));
    }
    if (cell.model_correct.empty()) {
        throw std::invalid_argument("mce_bootstrap_interval: no outcomes for " + cell_name(cell));
    }
    if (cell.model_correct.size() != cell.baseline_correct.size()) {
        throw std::invalid_argument("mce_bootstrap_interval: " + cell_name(cell) + " has " +
                                    std::to_string(cell.model_correct.size()) + " model outcomes but " +
                                    std::to_string(cell.baseline_correct.size()) + " baseline outcomes");
    }
    const auto is_binary = [](std::uint8_t value) { return value <= 1; };
    if (!std::all_of(cell.model_correct.begin(), cell.model_correct.end(), is_binary) ||
        !std::all_of(cell.baseline_correct.begin(), cell.baseline_correct.end(), is_binary)) {
        throw std::invalid_argument("mce_bootstrap_interval: outcomes of " + cell_name(cell) + " must be 0 or 1");
    }
}

cell_counts count_outcomes(const paired_outcomes &cell)
{
    cell_counts counts;
    counts.size = cell.model_correct.size();
    for (std::size_t i = 0; i < cell.model_correct.size(); ++i) {
        const bool model_wrong = cell.model_correct[i] == 0;
        const bool baseline_wrong = cell.baseline_correct[i] == 0;
        counts.both_wrong += model_wrong && baseline_wrong;
        counts.model_only_wrong += model_wrong && !baseline_wrong;
        counts.baseline_only_wrong += !model_wrong && baseline_wrong;
    }
    return counts;
}

// Writes one bootstrap resample of the cell's error rates into its table entries.
void resample_cell(const cell_counts &cell, splitmix64 &generator)
{
    const std::uint64_t model_wrong_end = cell.both_wrong + cell.model_only_wrong;
    const std::uint64_t baseline_only_end = model_wrong_end + cell.baseline_only_wrong;
    std::uint64_t model_wrong = 0;
    std::uint64_t baseline_wrong = 0;
    for (std::uint64_t draw = 0; draw < cell.size; ++draw) {
        const std::uint64_t position = generator.below(cell.size);
        model_wrong += position < model_wrong_end;
        baseline_wrong += (position < cell.both_wrong) || (position >= model_wrong_end && position < baseline_only_end);
    }
    const auto size = static_cast<double>(cell.size);
    *cell.model_error = static_cast<double>(model_wrong) / size;
    *cell.baseline_error = static_cast<double>(baseline_wrong) / size;
}

// Quantile of sorted values by linear interpolation between order statistics, at zero-based position
// (count - 1) · probability: Hyndman and Fan's type 7, the default of R's quantile and numpy.quantile.
double interpolated_quantile(const std::vector<double> &sorted, double probability)
{
    const double position = static_cast<double>(sorted.size() - 1) * probability;
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

} // namespace

interval mce_bootstrap_interval(const std::vector<paired_outcomes> &outcomes, double clean_model_error,
                                double clean_baseline_error, double level, int resamples, std::uint64_t seed)
{
    check_arguments(clean_model_error, clean_baseline_error, level, resamples);

    // The mCE does not depend on the clean errors. Scoring with clean errors of 0 keeps the relative CE,
    // which score_robustness computes as well, from failing on a resample whose baseline errors happen
    // to sum to 5 times the baseline's clean error.
    error_table model;
    error_table baseline;

    // The extra corruptions never enter the mCE, so only benchmark cells are resampled.
    std::set<std::pair<std::string, int>> seen;
    std::vector<cell_counts> cells;
    for (const auto &cell : outcomes) {
        check_cell(cell);
        const auto key = std::make_pair(cell.corruption, cell.severity);
        if (!seen.insert(key).second) {
            throw std::invalid_argument("mce_bootstrap_interval: duplicate outcomes for " + cell_name(cell));
        }
        if (!contains(benchmark_corruptions(), cell.corruption)) {
            continue;
        }
        auto counts = count_outcomes(cell);
        const auto size = static_cast<double>(counts.size);
        // std::map never moves its elements, so these pointers stay valid while entries are added.
        counts.model_error = &(model.corruption_errors[key] =
                                   static_cast<double>(counts.both_wrong + counts.model_only_wrong) / size);
        counts.baseline_error = &(baseline.corruption_errors[key] =
                                      static_cast<double>(counts.both_wrong + counts.baseline_only_wrong) / size);
        cells.push_back(counts);
    }

    // Scoring the sample itself first rejects missing cells before any resampling work.
    score_robustness(model, baseline, rounding_mode::none);

    // Each resample has its own derived stream, so resample r is the same whatever the resample count.
    std::vector<double> resampled_mces(static_cast<std::size_t>(resamples));
    for (int resample = 0; resample < resamples; ++resample) {
        splitmix64 generator(derive_seed(seed, static_cast<std::uint64_t>(resample)));
        for (const auto &cell : cells) {
            resample_cell(cell, generator);
        }
        // The sample passed the same check above, so a failure here means the resampled baseline made
        // no error on some corruption and its CE is undefined.
        try {
            const auto scores = score_robustness(model, baseline, rounding_mode::none);
            resampled_mces[static_cast<std::size_t>(resample)] = scores.mce;
        } catch (const std::invalid_argument &error) {
            throw std::invalid_argument("mce_bootstrap_interval: resample " + std::to_string(resample) + " failed: " +
                                        error.what() +
                                        ". The sampled baseline makes too few errors for a bootstrap, so sample "
                                        "more images per cell");
        }
    }

    std::sort(resampled_mces.begin(), resampled_mces.end());
    return interval{interpolated_quantile(resampled_mces, (1.0 - level) / 2.0),
                    interpolated_quantile(resampled_mces, (1.0 + level) / 2.0)};
}

} // namespace crimp::objectives
