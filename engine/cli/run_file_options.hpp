#pragma once

// Options shared by the commands that read a search's run file.

#include "command_line.hpp"

#include <string>

namespace crimp::cli
{

// Adds the required `run` option (also the positional argument): the run file of a search.
void add_run_option(po::options_description &options);

// Parses --rank: "all" (0) or a non-domination rank of 1 or more; raises usage_error otherwise.
int parse_rank(const std::string &text);

} // namespace crimp::cli
