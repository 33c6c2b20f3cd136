#include "command_line.hpp"

#include <crimp/engine/model_zoo.hpp>

#include <cstdio>

namespace crimp::cli
{

command make_models_command()
{
    command entry;
    entry.name = "models";
    entry.summary = "List the model zoo with parameter counts and multiply-accumulates per 32x32 image.";
    entry.add_options = [](po::options_description &options) {
        options.add_options()("classes", po::value<int>()->default_value(10)->value_name("N"),
                              "number of classes of the final layer (10 for CIFAR-10, 100 for CIFAR-100)");
    };
    entry.run = [](const po::variables_map &values) {
        std::printf("%-12s %12s %14s  %s\n", "model", "parameters", "MACs/image", "description");
        for (const auto &summary : describe_architectures(values["classes"].as<int>())) {
            std::printf("%-12s %12lld %14lld  %s\n", summary.name.c_str(), static_cast<long long>(summary.parameters),
                        static_cast<long long>(summary.macs_per_image), summary.description.c_str());
        }
    };
    return entry;
}

} // namespace crimp::cli
