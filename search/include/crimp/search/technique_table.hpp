#pragma once

#include <crimp/search/search_config.hpp>

#include <string>
#include <vector>

namespace crimp::search
{

// Compresses the baseline with each of the given techniques of arXiv 2512.24971 (1 to 16) and returns
// the model table (see model_table.hpp). Each technique is scored like a search genome on the
// configuration's validation sample, then on the test split and its corrupted sample. A search and a table built with
// the same baseline, scoring settings and seed score on the same images. Raises input_error when the
// baseline file is missing and when a technique fails.
std::string technique_table(const search_config &config, const std::vector<int> &techniques, int finetune_epochs);

} // namespace crimp::search
