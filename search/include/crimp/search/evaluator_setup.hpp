#pragma once

#include <crimp/search/genome_evaluator.hpp>
#include <crimp/search/search_config.hpp>

#include <memory>

namespace crimp::search
{

// Loads the configured baseline. When its file is absent, trains it first if `may_train`, and raises
// input_error otherwise (a run with evaluations must keep the baseline they were made with). Raises
// usage_error when it does not match the configured architecture and dataset or held out no validation
// images.
trained_model prepare_baseline(const search_config &config, bool may_train = true);

// The evaluator of a configuration: its validation scoring set (from the baseline's split) and its
// fine-tuning images.
std::shared_ptr<genome_evaluator> make_genome_evaluator(const search_config &config, trained_model baseline);

// The whole test split with the configuration's corrupted sample of it, for final scores.
scoring_set make_test_scoring_set(const search_config &config, const trained_model &baseline);

} // namespace crimp::search
