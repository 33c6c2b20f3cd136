#include "simulated_evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

namespace crimp::search
{

void simulate_evaluation(evaluation_record &record, int milliseconds, double baseline_accuracy, std::size_t corruptions)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));

    const auto &genome = record.genome;
    double bits = genome.bits;
    if (genome.clusters > 0) {
        bits = std::min(bits, std::log2(static_cast<double>(genome.clusters)));
    }
    if (genome.full_integer) {
        bits = std::min(bits, 8.0);
    }
    const double density = 1.0 - genome.sparsity;
    const double mask_bits = genome.sparsity > 0.0 ? 1.0 : 0.0;
    const double recovery = genome.route == compression::route_kind::finetune ? 0.5 : 1.0;
    const double loss = recovery * (0.6 * std::pow(genome.sparsity, 4.0) + 0.8 * std::exp2(-bits));

    record.ok = true;
    record.accuracy = std::max(0.1, baseline_accuracy - loss);
    record.mce = 100.0 * (1.0 + 1.5 * (baseline_accuracy - record.accuracy));
    record.corruption_errors.assign(corruptions, record.mce);
    record.severity_errors.assign(5 * corruptions, 1.0 - record.accuracy);
    record.compression_ratio = 32.0 / (density * bits + mask_bits);
    record.deflate_ratio = record.compression_ratio;
    record.objectives = {1.0 - record.accuracy, record.mce, 1.0 / record.compression_ratio};
}

} // namespace crimp::search
