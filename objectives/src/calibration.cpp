#include <crimp/objectives/calibration.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace crimp::objectives
{

namespace
{

void check_inputs(const std::vector<float> &confidences, const std::vector<std::uint8_t> &correct, int bins)
{
    if (bins < 1) {
        throw std::invalid_argument("expected_calibration_error: bins must be at least 1, got " +
                                    std::to_string(bins));
    }
    if (confidences.empty()) {
        throw std::invalid_argument("expected_calibration_error: no predictions");
    }
    if (confidences.size() != correct.size()) {
        throw std::invalid_argument("expected_calibration_error: " + std::to_string(confidences.size()) +
                                    " confidences but " + std::to_string(correct.size()) + " outcomes");
    }
    for (std::size_t i = 0; i < confidences.size(); ++i) {
        if (!(confidences[i] >= 0.0F && confidences[i] <= 1.0F)) {
            throw std::invalid_argument("expected_calibration_error: confidence " + std::to_string(i) +
                                        " must be in [0, 1], got " + std::to_string(confidences[i]));
        }
        if (correct[i] > 1) {
            throw std::invalid_argument("expected_calibration_error: outcome " + std::to_string(i) +
                                        " must be 0 or 1, got " + std::to_string(correct[i]));
        }
    }
}

} // namespace

double expected_calibration_error(const std::vector<float> &confidences, const std::vector<std::uint8_t> &correct,
                                  int bins)
{
    check_inputs(confidences, correct, bins);

    const auto bin_count = static_cast<std::size_t>(bins);
    std::vector<double> confidence_sums(bin_count, 0.0);
    std::vector<double> correct_counts(bin_count, 0.0);
    for (std::size_t i = 0; i < confidences.size(); ++i) {
        // The product of a float and a bin count below 2^29 is exact in double, so a confidence on a bin
        // edge lands in the lower bin as (i / bins, (i + 1) / bins] requires. Confidence 0 joins bin 0.
        const double scaled = static_cast<double>(confidences[i]) * static_cast<double>(bins);
        const auto bin = static_cast<std::size_t>(std::max(std::ceil(scaled) - 1.0, 0.0));
        confidence_sums[bin] += confidences[i];
        correct_counts[bin] += correct[i];
    }

    // Σ_i (n_i / N) · |accuracy_i − confidence_i| = Σ_i |correct_i − confidence sum_i| / N.
    double total_gap = 0.0;
    for (std::size_t bin = 0; bin < bin_count; ++bin) {
        total_gap += std::abs(correct_counts[bin] - confidence_sums[bin]);
    }
    return total_gap / static_cast<double>(confidences.size());
}

} // namespace crimp::objectives
