#include <crimp/corruption/corrupted_sets.hpp>

#include <crimp/engine/error.hpp>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <crimp/engine/name_list.hpp>

#include <algorithm>
#include <cstring>
#include <sstream>

namespace crimp::corruption
{

std::vector<std::uint8_t> corrupt_images(const std::vector<rgb_image> &images, int corruption,
                                         const std::vector<int> &severities, std::uint64_t seed,
                                         const corruption_resources &resources)
{
    const std::size_t count = images.size();
    std::vector<std::uint8_t> output(severities.size() * count * image_size);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, severities.size() * count, 16),
                      [&](const tbb::blocked_range<std::size_t> &range) {
                          for (std::size_t job = range.begin(); job != range.end(); ++job) {
                              const std::size_t image_index = job % count;
                              const int severity = severities[job / count];
                              const auto corrupted =
                                  apply_corruption(corruption, severity, images[image_index], seed, image_index, resources);
                              std::memcpy(&output[job * image_size], corrupted.data(), image_size);
                          }
                      });
    return output;
}

std::vector<int> parse_corruption_list(const std::string &text)
{
    std::vector<int> corruptions;
    const auto names = split_name_list(text);
    if (names.empty() || (names.size() == 1 && names[0] == "all")) {
        for (std::size_t i = 0; i < corruption_list().size(); ++i) {
            corruptions.push_back(static_cast<int>(i));
        }
        return corruptions;
    }
    if (names.size() == 1 && names[0] == "benchmark") {
        for (std::size_t i = 0; i < corruption_list().size(); ++i) {
            if (corruption_list()[i].benchmark) {
                corruptions.push_back(static_cast<int>(i));
            }
        }
        return corruptions;
    }
    for (const auto &name : names) {
        const int index = corruption_index(name);
        if (std::find(corruptions.begin(), corruptions.end(), index) == corruptions.end()) {
            corruptions.push_back(index);
        }
    }
    return corruptions;
}

std::vector<int> parse_severity_list(const std::string &text)
{
    const auto items = split_name_list(text);
    if (items.empty()) {
        return {1, 2, 3, 4, 5};
    }
    std::vector<int> result;
    for (const auto &item : items) {
        std::size_t parsed = 0;
        int severity = 0;
        try {
            severity = std::stoi(item, &parsed);
        } catch (const std::exception &) {
            parsed = 0;
        }
        if (parsed != item.size() || severity < 1 || severity > severities) {
            throw usage_error("invalid severity '" + item + "': expected integers from 1 to 5, e.g. --severities 1,3,5");
        }
        if (std::find(result.begin(), result.end(), severity) == result.end()) {
            result.push_back(severity);
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

bool needs_frost_textures(const std::vector<int> &corruptions)
{
    const int frost = corruption_index("frost");
    return std::find(corruptions.begin(), corruptions.end(), frost) != corruptions.end();
}

} // namespace crimp::corruption
