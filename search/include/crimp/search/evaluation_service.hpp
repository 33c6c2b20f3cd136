#pragma once

#include <crimp/search/genome_evaluator.hpp>
#include <crimp/search/genome_runner.hpp>
#include <crimp/search/genome_space.hpp>
#include <crimp/search/run_state.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace crimp::search
{

// Raised when the user interrupted the search: evaluations that finished are saved, the generation in
// progress is not.
class search_interrupted : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Turns decision vectors into objective vectors: decodes them, returns repeated genomes from the
// evaluation cache, and hands new ones to a genome runner: this process's TBB workers unless the caller
// names another (MPI worker ranks). Every finished evaluation is saved at once through `persist`.
class evaluation_service
{
public:
    evaluation_service(const search_config &config, std::shared_ptr<const genome_evaluator> evaluator,
                       run_state &state, std::function<void()> persist, std::filesystem::path models_dir);

    // Objective vectors (3 per decision vector, concatenated) of a batch of decision vectors
    // (concatenated). `generation` labels the new evaluations so that the run file lists them in the same
    // order whatever the worker count or interruptions. Raises search_interrupted after a stop request.
    // A null `runner` evaluates on this process's TBB workers.
    std::vector<double> evaluate_batch(const std::vector<double> &decision_vectors, int generation,
                                       genome_runner *runner = nullptr);

    const genome_space &space() const { return m_space; }
    const genome_evaluator &evaluator() const { return *m_evaluator; }
    std::size_t evaluations() const { return m_state.evaluations.size(); }

    // Asks running batches to start no new evaluation; the ones running finish and are saved.
    static void request_stop();
    static bool stop_requested();

private:
    const evaluation_record *cached(const std::string &key) const;
    void store(evaluation_record record, const std::vector<std::uint8_t> &packed);

    search_config m_config;
    genome_space m_space;
    std::shared_ptr<const genome_evaluator> m_evaluator;
    run_state &m_state;
    std::function<void()> m_persist;
    std::filesystem::path m_models_dir;
    std::map<std::string, std::size_t> m_index;
    std::mutex m_mutex;
    std::unique_ptr<genome_runner> m_local_runner;
};

// The packed model of an evaluation, kept beside the run file.
std::filesystem::path packed_model_path(const std::filesystem::path &models_dir, const std::string &key);

// The folder of packed models that belongs to a run file: RUN.h5 → RUN.h5.models.
std::filesystem::path models_dir_of(const std::filesystem::path &run_file);

// Adds a tiny tie-breaking offset, derived from the decision vector's bits, to each objective. pagmo's
// crowding distance divides by the spread of each objective over a front. That spread is zero, and the
// distance NaN, when three or more members share a value, which distinct decision vectors no longer do.
std::array<double, 3> with_tie_breaker(const std::array<double, 3> &objectives, const double *genes, std::size_t count);

} // namespace crimp::search
