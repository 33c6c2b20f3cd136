#include "corruptions.hpp"

#include <crimp/engine/error.hpp>

#include <string>

namespace crimp::corruption
{

namespace
{

struct registry_entry {
    corruption_info info;
    detail::corruption_function function;
};

const std::vector<registry_entry> &registry()
{
    static const std::vector<registry_entry> entries = {
        {{"gaussian_noise", true, false}, detail::gaussian_noise},
        {{"shot_noise", true, false}, detail::shot_noise},
        {{"impulse_noise", true, false}, detail::impulse_noise},
        {{"defocus_blur", true, true}, detail::defocus_blur},
        {{"glass_blur", true, false}, detail::glass_blur},
        {{"motion_blur", true, false}, detail::motion_blur},
        {{"zoom_blur", true, true}, detail::zoom_blur},
        {{"snow", true, false}, detail::snow},
        {{"frost", true, false}, detail::frost},
        {{"fog", true, false}, detail::fog},
        {{"brightness", true, true}, detail::brightness},
        {{"contrast", true, true}, detail::contrast},
        {{"elastic_transform", true, false}, detail::elastic_transform},
        {{"pixelate", true, true}, detail::pixelate},
        {{"jpeg_compression", true, true}, detail::jpeg_compression},
        {{"speckle_noise", false, false}, detail::speckle_noise},
        {{"gaussian_blur", false, true}, detail::gaussian_blur},
        {{"spatter", false, false}, detail::spatter},
        {{"saturate", false, true}, detail::saturate},
    };
    return entries;
}

} // namespace

const std::vector<corruption_info> &corruption_list()
{
    static const std::vector<corruption_info> list = [] {
        std::vector<corruption_info> infos;
        for (const auto &entry : registry()) {
            infos.push_back(entry.info);
        }
        return infos;
    }();
    return list;
}

int corruption_index(std::string_view name)
{
    const auto &entries = registry();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].info.name == name) {
            return static_cast<int>(i);
        }
    }
    std::string valid;
    for (const auto &entry : entries) {
        valid += (valid.empty() ? "" : ", ") + std::string(entry.info.name);
    }
    throw usage_error("unknown corruption '" + std::string(name) + "': expected one of " + valid);
}

rgb_image apply_corruption(int corruption, int severity, const rgb_image &image, std::uint64_t seed,
                           std::uint64_t image_index, const corruption_resources &resources)
{
    const auto &entries = registry();
    if (corruption < 0 || static_cast<std::size_t>(corruption) >= entries.size()) {
        throw std::out_of_range("corruption index " + std::to_string(corruption) + " is out of range");
    }
    if (severity < 1 || severity > severities) {
        throw usage_error("invalid severity " + std::to_string(severity) + ": expected 1 to 5");
    }
    counter_rng random(seed, static_cast<std::uint32_t>(corruption), static_cast<std::uint32_t>(severity), image_index);
    rgb_image output{};
    entries[static_cast<std::size_t>(corruption)].function(image, severity, random, resources, output);
    return output;
}

} // namespace crimp::corruption
