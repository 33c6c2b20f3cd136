#pragma once

#include <string>
#include <vector>

namespace crimp
{

// Splits a comma-separated list of names, as options such as `--corruptions a,b` take them: spaces and
// tabs around each item are removed and empty items are dropped.
std::vector<std::string> split_name_list(const std::string &text);

} // namespace crimp
