#include "corruption_stats.hpp"

#include "test_support.hpp"

#include <crimp/engine/dataset.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>

namespace crimp::testing
{

const std::vector<corruption::rgb_image> &exact_test_images()
{
    static const std::vector<corruption::rgb_image> images = [] {
        std::vector<corruption::rgb_image> result;
        const auto shared = shared_dir();
        if (!shared) {
            return result;
        }
        const auto set = read_cifar10_file(*shared / "data/cifar-10-exact/test_batch.first1000.bin");
        for (std::size_t i = 0; i < set.size(); ++i) {
            result.push_back(corruption::from_planar(set.pixels.data() + i * image_bytes));
        }
        return result;
    }();
    return images;
}

corruption::corruption_resources shared_corruption_resources()
{
    corruption::corruption_resources resources;
    if (const auto shared = shared_dir()) {
        resources.frost = corruption::load_frost_textures(*shared / "data/frost");
    }
    return resources;
}

difference_statistics measure_difference(const std::vector<corruption::rgb_image> &clean,
                                         const std::vector<corruption::rgb_image> &corrupted)
{
    double absolute_sum = 0.0;
    double psnr_sum = 0.0;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        double squared_sum = 0.0;
        for (std::size_t k = 0; k < corruption::image_size; ++k) {
            const double difference = static_cast<double>(corrupted[i][k]) - static_cast<double>(clean[i][k]);
            absolute_sum += std::abs(difference);
            squared_sum += difference * difference;
        }
        const double mse = squared_sum / static_cast<double>(corruption::image_size);
        // An unchanged image has infinite PSNR; it counts as 100 dB, far above any corrupted image.
        psnr_sum += mse == 0.0 ? 100.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
    }
    const double count = static_cast<double>(clean.size());
    return {absolute_sum / (count * static_cast<double>(corruption::image_size)), psnr_sum / count};
}

void check_corruption_statistics(const std::string &corruption_name, std::uint64_t seed)
{
    const auto shared = shared_dir();
    if (!shared) {
        skip("shared CIFAR-10 data and reference statistics not found");
        return;
    }
    std::ifstream stream(*shared / "reference/corruptions/stochastic_stats.json");
    REQUIRE(stream.good());
    const auto reference = nlohmann::json::parse(stream).at("statistics").at(corruption_name);

    const auto &clean = exact_test_images();
    const auto resources = shared_corruption_resources();
    const int index = corruption::corruption_index(corruption_name);
    for (const auto &entry : reference) {
        const int severity = entry.at("severity").get<int>();
        std::vector<corruption::rgb_image> corrupted(clean.size());
        for (std::size_t i = 0; i < clean.size(); ++i) {
            corrupted[i] = corruption::apply_corruption(index, severity, clean[i], seed, i, resources);
        }
        const auto measured = measure_difference(clean, corrupted);

        const double expected_abs = entry.at("mean_abs_diff").get<double>();
        const double expected_psnr = entry.at("mean_psnr_db").get<double>();
        const double relative_tolerance = entry.at("tolerance_mean_abs_diff_rel").get<double>();
        const double psnr_tolerance = entry.at("tolerance_psnr_db").get<double>();
        CAPTURE(corruption_name);
        CAPTURE(severity);
        CAPTURE(measured.mean_abs_diff);
        CAPTURE(expected_abs);
        CAPTURE(measured.mean_psnr_db);
        CAPTURE(expected_psnr);
        CHECK(std::abs(measured.mean_abs_diff - expected_abs) <= relative_tolerance * expected_abs);
        CHECK(std::abs(measured.mean_psnr_db - expected_psnr) <= psnr_tolerance);
    }
}

} // namespace crimp::testing
