#pragma once

#include <crimp/search/model_table.hpp>
#include <crimp/search/run_state.hpp>

#include <string>
#include <vector>

namespace crimp::search
{

// A self-contained HTML page of a run, with inline SVG and CSS, no script and no network access. It
// shows the three two-objective projections of every evaluation (front highlighted, baseline and
// reference models marked), the hypervolume per generation, a heatmap of the front's CE per corruption,
// the front as a table with the numbers of `crimp front`, and the configuration.
std::string html_report(const run_state &state, const std::string &title, const std::vector<reference_model> &references);

} // namespace crimp::search
