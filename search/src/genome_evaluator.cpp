#include <crimp/search/genome_evaluator.hpp>

#include <crimp/compression/compressor.hpp>
#include <crimp/compression/packed_format.hpp>
#include <crimp/compression/size_metrics.hpp>
#include <crimp/engine/rng.hpp>
#include <crimp/search/genome_space.hpp>

#include "simulated_evaluation.hpp"

#include <ATen/Parallel.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace crimp::search
{

namespace
{

std::uint64_t key_seed(std::uint64_t seed, const std::string &key)
{
    // FNV-1a of the key, so that a genome's fine-tuning seed depends on the genome alone, not on when it
    // is evaluated.
    std::uint64_t hash = 1469598103934665603ULL;
    for (const char character : key) {
        hash = (hash ^ static_cast<unsigned char>(character)) * 1099511628211ULL;
    }
    return derive_seed(seed, hash);
}

// CE per corruption, 100 · Σ_s E(model) / Σ_s E(baseline), and their mean over the scored corruptions
// (the mCE of CIFAR-10-C when they are the 15 benchmark ones).
double fill_errors(evaluation_record &record, const objectives::error_table &errors,
                   const objectives::error_table &baseline, const std::vector<std::string> &names,
                   std::int64_t images_per_severity)
{
    double sum = 0.0;
    for (const auto &name : names) {
        double model_sum = 0.0;
        double baseline_sum = 0.0;
        for (int severity = 1; severity <= 5; ++severity) {
            const double error = errors.corruption_errors.at({name, severity});
            record.severity_errors.push_back(error);
            model_sum += error;
            baseline_sum += baseline.corruption_errors.at({name, severity});
        }
        // NOTE: a baseline without a single error on a small sample would make CE undefined, so one
        // misclassified image replaces the zero.
        baseline_sum = std::max(baseline_sum, 1.0 / static_cast<double>(std::max<std::int64_t>(1, images_per_severity)));
        record.corruption_errors.push_back(100.0 * model_sum / baseline_sum);
        sum += record.corruption_errors.back();
    }
    return names.empty() ? 0.0 : sum / static_cast<double>(names.size());
}

std::int64_t images_per_severity(const scoring_set &set)
{
    return set.corrupted_labels.empty() ? 0 : set.corrupted_labels.front().size(0) / 5;
}

} // namespace

genome_evaluator::genome_evaluator(const search_config &config, trained_model baseline, scoring_set validation,
                                   fit_data training)
    : m_config(config), m_baseline(std::move(baseline)), m_validation(std::move(validation)),
      m_training(std::move(training))
{
    m_baseline.model->eval();
    m_baseline_sizes = compression::measure_baseline_sizes(compression::uncompressed(m_baseline));
    m_baseline_errors = measure_errors(*m_baseline.model, m_validation, m_baseline.metadata.statistics);
}

evaluation_record genome_evaluator::evaluate(const compression::genome &candidate, int threads,
                                             std::vector<std::uint8_t> &packed) const
{
    // LibTorch's thread count is per calling thread under OpenMP, so each worker sets its own.
    at::set_num_threads(threads);
    const auto start = std::chrono::steady_clock::now();
    evaluation_record record;
    record.genome = candidate;
    record.key = genome_key(candidate);

    if (m_config.simulate_eval_ms > 0) {
        simulate_evaluation(record, m_config.simulate_eval_ms, 1.0 - m_baseline_errors.clean_error,
                            m_validation.corruption_names.size());
        apply_limits(record);
        record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return record;
    }

    try {
        compression::compression_options options;
        options.seed = key_seed(m_config.seed, record.key);
        options.log_epochs = false;
        auto result = compression::compress_model(m_baseline, candidate, options, m_training, torch::kCPU);
        auto &model = *result.compressed.model;
        model.eval();

        const auto errors = measure_errors(model, m_validation, m_baseline.metadata.statistics);
        packed = compression::pack(result.compressed);
        const auto sizes = compression::measure_sizes(result.compressed, packed.size(), m_baseline_sizes);

        record.ok = true;
        record.accuracy = 1.0 - errors.clean_error;
        record.mce = fill_errors(record, errors, m_baseline_errors, m_validation.corruption_names,
                                 images_per_severity(m_validation));
        record.packed_bytes = sizes.packed_bytes;
        record.compression_ratio = sizes.compression_ratio;
        record.deflate_ratio = sizes.deflate_ratio;
        record.objectives = {1.0 - record.accuracy, record.mce, 1.0 / record.compression_ratio};
        apply_limits(record);
    } catch (const std::exception &error) {
        record.ok = false;
        record.error = error.what();
        record.objectives = failed_objectives;
        packed.clear();
    }
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return record;
}

void genome_evaluator::apply_limits(evaluation_record &record) const
{
    // pagmo's NSGA-II takes no constraints, so a genome that breaks a limit gets objectives that every
    // feasible genome dominates, growing with the violation so that NSGA-II still moves towards
    // feasibility.
    double violation = std::max(0.0, m_config.min_accuracy - record.accuracy);
    if (m_config.max_mce > 0.0) {
        violation += std::max(0.0, record.mce - m_config.max_mce) / 100.0;
    }
    if (!std::isfinite(record.mce)) {
        violation += 1.0;
    }
    if (violation > 0.0) {
        record.objectives = {1.0 + violation, 1.0e3 + 100.0 * violation, 1.0 + violation};
    }
}

std::pair<double, double> genome_evaluator::score_packed(const std::vector<std::uint8_t> &packed,
                                                         const scoring_set &set,
                                                         const objectives::error_table &baseline_errors) const
{
    auto model = compression::unpack(packed, "packed model");
    model.model->eval();
    const auto errors = measure_errors(*model.model, set, m_baseline.metadata.statistics);
    evaluation_record record;
    const double mce = fill_errors(record, errors, baseline_errors, set.corruption_names, images_per_severity(set));
    return {1.0 - errors.clean_error, mce};
}

} // namespace crimp::search
