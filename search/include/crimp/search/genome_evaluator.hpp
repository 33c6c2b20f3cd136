#pragma once

#include <crimp/compression/compressed_model.hpp>
#include <crimp/compression/size_metrics.hpp>
#include <crimp/engine/fitting.hpp>
#include <crimp/search/evaluation_record.hpp>
#include <crimp/search/scoring_set.hpp>
#include <crimp/search/search_config.hpp>

#include <cstdint>
#include <vector>

namespace crimp::search
{

// Objective vectors of genomes that fail: worse than any feasible or penalised genome, and finite so that
// NSGA-II's crowding distance stays defined.
inline constexpr std::array<double, 3> failed_objectives = {1.0e3, 1.0e5, 1.0e3};

// Scores genomes against a baseline on a fixed scoring set. evaluate() is safe to call from several
// threads at once: each call compresses its own copy of the baseline.
class genome_evaluator
{
public:
    genome_evaluator(const search_config &config, trained_model baseline, scoring_set validation, fit_data training);

    // Compresses and scores one genome with `threads` LibTorch threads on the calling thread. A genome
    // whose compression throws (a diverged fine-tuning, for one) is returned as failed with the message.
    // `packed` receives the packed model of a successful evaluation.
    evaluation_record evaluate(const compression::genome &candidate, int threads, std::vector<std::uint8_t> &packed) const;

    // Accuracy and mCE of a packed model on another scoring set (the test split at the end of a run).
    std::pair<double, double> score_packed(const std::vector<std::uint8_t> &packed, const scoring_set &set,
                                           const objectives::error_table &baseline_errors) const;

    const trained_model &baseline() const { return m_baseline; }
    const objectives::error_table &baseline_errors() const { return m_baseline_errors; }
    const scoring_set &validation() const { return m_validation; }

private:
    void apply_limits(evaluation_record &record) const;

    search_config m_config;
    trained_model m_baseline;
    compression::baseline_sizes m_baseline_sizes;
    scoring_set m_validation;
    fit_data m_training;
    objectives::error_table m_baseline_errors;
};

} // namespace crimp::search
