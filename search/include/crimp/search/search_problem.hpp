#pragma once

#include <crimp/search/evaluation_service.hpp>

#include <pagmo/bfe.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/types.hpp>

#include <memory>
#include <string>
#include <utility>

namespace crimp::search
{

// State shared by every copy of the problem that pagmo makes.
struct search_context {
    std::shared_ptr<evaluation_service> service;
    // The generation being computed; it labels new evaluations.
    int generation = 0;
};

// The pagmo user-defined problem: minimise (1 − accuracy, mCE, 1 / compression ratio) over the genome
// space. Default construction exists because pagmo requires it; such a problem cannot evaluate.
class search_problem
{
public:
    search_problem() = default;
    explicit search_problem(std::shared_ptr<search_context> context) : m_context(std::move(context)) {}

    pagmo::vector_double fitness(const pagmo::vector_double &genes) const;
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const;
    pagmo::vector_double::size_type get_nobj() const { return 3; }
    pagmo::vector_double::size_type get_nix() const;
    std::string get_name() const { return "crimp compression search"; }

    // Evaluates a batch (decision vectors concatenated) through the evaluation service, on `runner`
    // (this process's TBB workers when null).
    pagmo::vector_double evaluate_batch(const pagmo::vector_double &decision_vectors,
                                        genome_runner *runner = nullptr) const;

private:
    std::shared_ptr<search_context> m_context;
};

// The pagmo batch fitness evaluator of a search: hands a generation's decision vectors to the problem's
// evaluation service, which runs them on TBB workers. It has no state, so NSGA-II checkpoints that
// contain it serialise trivially.
class tbb_batch_evaluator
{
public:
    pagmo::vector_double operator()(const pagmo::problem &problem, const pagmo::vector_double &decision_vectors) const;
    std::string get_name() const { return "crimp TBB batch evaluator"; }

    template <typename Archive>
    void serialize(Archive &, unsigned)
    {
    }
};

// The pagmo batch fitness evaluator of a distributed search: hands a generation's new genomes to MPI
// worker ranks through rank 0's worker pool. The pool belongs to the running process, so a checkpoint
// stores none; a resumed search sets the evaluator of its own launch.
class mpi_batch_evaluator
{
public:
    mpi_batch_evaluator() = default;
    explicit mpi_batch_evaluator(genome_runner *ranks) : m_ranks(ranks) {}

    pagmo::vector_double operator()(const pagmo::problem &problem, const pagmo::vector_double &decision_vectors) const;
    std::string get_name() const { return "crimp MPI batch evaluator"; }

    template <typename Archive>
    void serialize(Archive &, unsigned)
    {
    }

private:
    genome_runner *m_ranks = nullptr;
};

} // namespace crimp::search

PAGMO_S11N_BFE_EXPORT_KEY(crimp::search::tbb_batch_evaluator)
PAGMO_S11N_BFE_EXPORT_KEY(crimp::search::mpi_batch_evaluator)
