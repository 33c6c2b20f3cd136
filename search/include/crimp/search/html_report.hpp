#pragma once

#include <crimp/search/model_table.hpp>
#include <crimp/search/run_state.hpp>

#include <string>
#include <vector>

namespace crimp::search
{

// A self-contained HTML page (inline SVG and CSS, no script and no network access) that shows a run:
// the three two-objective projections of every evaluation with the front highlighted, the baseline and
// the reference models marked; the hypervolume per generation; a heatmap of the CE per corruption of
// the front; the front as a table with the numbers of `crimp front`; and the configuration.
std::string html_report(const run_state &state, const std::string &title, const std::vector<reference_model> &references);

} // namespace crimp::search
