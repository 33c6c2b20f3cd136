#pragma once

#include <stdexcept>
#include <string>

namespace crimp
{

// An invalid command-line or configuration value. The command line maps it to exit status 2.
class usage_error : public std::invalid_argument
{
public:
    using std::invalid_argument::invalid_argument;
};

// Input that cannot be used as given: a missing, truncated or malformed file. Exit status 1.
class input_error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace crimp
