#pragma once

#include <cstdint>
#include <vector>

namespace crimp::objectives
{

// Computes the expected calibration error (Guo et al., ICML 2017) as a fraction: predictions are grouped
// by top-1 confidence into `bins` equal-width bins, bin i covering (i / bins, (i + 1) / bins] and
// confidence 0 falling into the first, and ECE = Σ_i (n_i / N) · |accuracy_i − mean confidence_i|.
// 15 bins is the usual choice. Raises std::invalid_argument for empty or unequal-length inputs, bins < 1,
// a confidence outside [0, 1] or NaN, or a `correct` value other than 0 and 1.
double expected_calibration_error(const std::vector<float> &confidences, const std::vector<std::uint8_t> &correct,
                                  int bins = 15);

} // namespace crimp::objectives
