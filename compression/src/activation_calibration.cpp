#include "activation_calibration.hpp"

#include <crimp/engine/compressible_layers.hpp>
#include <crimp/engine/inference.hpp>

#include <algorithm>
#include <limits>

namespace crimp::compression
{

namespace
{

// Percentiles are taken over at most this many values of a batch, evenly strided, to bound the sort.
constexpr std::int64_t percentile_sample = std::int64_t{1} << 20;

struct observed_range {
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    double low_sum = 0.0;
    double high_sum = 0.0;
    int batches = 0;
};

void observe(observed_range &range, const torch::Tensor &input, const compression_options &options)
{
    const auto values = input.detach().flatten();
    if (values.numel() == 0) {
        return;
    }
    if (options.calibration == calibration_method::minmax) {
        range.low = std::min(range.low, values.min().item<double>());
        range.high = std::max(range.high, values.max().item<double>());
        return;
    }
    const std::int64_t stride = std::max<std::int64_t>(1, values.numel() / percentile_sample);
    const auto sorted = std::get<0>(values.slice(0, 0, c10::nullopt, stride).to(torch::kFloat64).sort());
    const auto last = sorted.numel() - 1;
    const auto rank = [&](double percent) {
        return sorted[static_cast<std::int64_t>(percent / 100.0 * static_cast<double>(last) + 0.5)].item<double>();
    };
    range.low_sum += rank(100.0 - options.percentile);
    range.high_sum += rank(options.percentile);
    ++range.batches;
}

activation_quantizer quantizer_of(const observed_range &range, const compression_options &options)
{
    if (options.calibration == calibration_method::percentile && range.batches > 0) {
        return make_activation_quantizer(static_cast<float>(range.low_sum / range.batches),
                                         static_cast<float>(range.high_sum / range.batches));
    }
    if (range.low > range.high) {
        return make_activation_quantizer(0.0F, 0.0F); // The layer never ran.
    }
    return make_activation_quantizer(static_cast<float>(range.low), static_cast<float>(range.high));
}

} // namespace

void calibrate_activations(compressed_model &compressed, const torch::Tensor &images,
                           const compression_options &options, const torch::Device &device)
{
    auto layers = compressible_layers(*compressed.model);
    std::vector<observed_range> ranges(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) {
        layers[i].rewrites->input = [&range = ranges[i], &options](const torch::Tensor &input) {
            observe(range, input, options);
            return input;
        };
    }
    classify(*compressed.model, images, compressed.metadata.statistics, 128, device);

    for (std::size_t i = 0; i < layers.size(); ++i) {
        layers[i].rewrites->input = nullptr;
        compressed.layers[i].input = quantizer_of(ranges[i], options);
    }
}

} // namespace crimp::compression
