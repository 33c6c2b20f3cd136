#pragma once

#include <crimp/search/evaluation_record.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crimp::search
{

// One complete NSGA-II generation. Generation 0 is the initial population.
struct generation_record {
    int generation = 0;
    std::vector<std::vector<double>> population;
    std::vector<std::array<double, 3>> fitness;
    // Positions in the population of its non-dominated members.
    std::vector<std::size_t> front;
    double hypervolume = 0.0;
    // Cumulative counts and wall time when the generation completed.
    std::size_t evaluations = 0;
    std::size_t cache_hits = 0;
    double elapsed_seconds = 0.0;
};

// Resumable state after the last complete generation: pagmo's NSGA-II (its settings and random engine,
// as a Boost.Serialization text archive) and the population.
struct search_checkpoint {
    int generation = 0;
    std::string algorithm;
    std::vector<std::vector<double>> population;
    std::vector<std::array<double, 3>> fitness;
};

// Accuracy and mCE of a front member on the test split and its corrupted sample, measured once the
// search has finished and kept apart from the validation values the search optimised.
struct test_record {
    std::string key;
    double accuracy = 0.0;
    double mce = 0.0;
};

// The whole content of a run file.
struct run_state {
    std::string config_json;
    std::string crimp_version;
    std::vector<std::string> corruption_names;
    std::array<double, 3> reference_point = {1.0, 500.0, 1.0};
    // Validation accuracy of the uncompressed baseline on the scored images (its mCE is 100).
    double baseline_accuracy = 0.0;
    std::vector<evaluation_record> evaluations;
    std::vector<generation_record> generations;
    std::optional<search_checkpoint> checkpoint;
    std::vector<test_record> test_front;
    // Wall time over all sessions of the run, and the part spent inside genome evaluations.
    double elapsed_seconds = 0.0;
    double evaluation_seconds = 0.0;
    std::size_t cache_hits = 0;
};

} // namespace crimp::search
