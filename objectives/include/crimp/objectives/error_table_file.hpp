#pragma once

#include <crimp/objectives/corruption_error.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp::objectives
{

// One variant's row of `crimp mce` output, with each value rounded half away from zero to the decimals
// it is written with: accuracy_pct 2, mce and relative_mce 1, compression_ratio 3.
struct variant_summary {
    std::string model;
    std::string variant;
    double accuracy_pct = 0.0;
    double mce = 0.0;
    double relative_mce = 0.0;
    double compression_ratio = 1.0;
    bool non_dominated = false;
};

// Reads errors.csv (model,variant,corruption,severity,error) and optionally sizes.csv
// (model,variant,size_bytes), normalises each model by its own baseline variant and marks the variants
// that no other variant in the file dominates (maximum accuracy and compression ratio, minimum mCE,
// compared as rounded). An empty `sizes_csv` path means no sizes: every compression ratio is then 1.
// Raises crimp::input_error naming the file and row.
std::vector<variant_summary> summarise_error_tables(const std::filesystem::path &errors_csv,
                                                    const std::filesystem::path &sizes_csv,
                                                    const std::string &baseline_variant, rounding_mode rounding);

// Writes the summaries as CSV: model,variant,accuracy_pct,mce,relative_mce,compression_ratio,non_dominated.
std::string format_variant_summaries(const std::vector<variant_summary> &summaries);

} // namespace crimp::objectives
