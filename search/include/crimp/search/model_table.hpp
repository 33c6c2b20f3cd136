#pragma once

#include <crimp/search/run_state.hpp>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace crimp::search
{

// The CSV table of models that `crimp front` and `crimp techniques` write: one row per model with its
// genome, validation objectives and, when measured, test accuracy and test mCE. It contains no timings or
// paths, so equal runs give byte-identical tables.
std::string model_table_header();
std::string model_table_row(const std::string &name, const evaluation_record &record, const test_record *test);

// A model read from such a table, to compare a search's front with.
struct reference_model {
    std::string name;
    // (1 − validation accuracy, validation mCE, 1 / compression ratio), as the search minimises.
    std::array<double, 3> objectives{};
};

// Reads a model table; raises input_error naming the file and the missing column or malformed value.
std::vector<reference_model> read_model_table(const std::filesystem::path &file);

// Whether `a` Pareto-dominates `b`: no worse in every objective and better in one.
bool dominates(const std::array<double, 3> &a, const std::array<double, 3> &b);

// Keys of the evaluations at `front` (positions in state.evaluations) that dominate a reference model.
std::vector<std::string> dominating_keys(const run_state &state, const std::vector<std::size_t> &front,
                                         const reference_model &reference);

} // namespace crimp::search
