#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace crimp
{

struct architecture_summary {
    std::string name;
    std::string description;
    std::int64_t parameters = 0;
    std::int64_t macs_per_image = 0;
};

// The zoo's architecture names, in the order `crimp models` lists them.
std::vector<std::string> architecture_names();

// Builds each architecture for the given class count and reports its size.
std::vector<architecture_summary> describe_architectures(int classes);

// Raises usage_error listing the valid names unless the architecture is in the zoo.
void check_architecture(const std::string &architecture);

} // namespace crimp
