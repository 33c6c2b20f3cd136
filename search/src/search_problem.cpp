#include <crimp/search/search_problem.hpp>

#include <crimp/engine/error.hpp>

#include <pagmo/s11n.hpp>

PAGMO_S11N_BFE_IMPLEMENT(crimp::search::tbb_batch_evaluator)
PAGMO_S11N_BFE_IMPLEMENT(crimp::search::mpi_batch_evaluator)

namespace crimp::search
{

namespace
{

search_context &context_of(const std::shared_ptr<search_context> &context)
{
    if (!context) {
        throw std::logic_error("a default-constructed search problem cannot evaluate genomes");
    }
    return *context;
}

pagmo::vector_double evaluate_on(const pagmo::problem &problem, const pagmo::vector_double &decision_vectors,
                                 genome_runner *runner)
{
    const auto *search = problem.extract<search_problem>();
    if (search == nullptr) {
        throw std::invalid_argument("the crimp batch evaluators only evaluate crimp search problems");
    }
    auto objectives = search->evaluate_batch(decision_vectors, runner);
    // pagmo counts function evaluations in the problem; a batch evaluator reports its own.
    problem.increment_fevals(decision_vectors.size() / problem.get_nx());
    return objectives;
}

} // namespace

pagmo::vector_double search_problem::fitness(const pagmo::vector_double &genes) const
{
    return evaluate_batch(genes);
}

std::pair<pagmo::vector_double, pagmo::vector_double> search_problem::get_bounds() const
{
    if (!m_context) {
        return {{0.0}, {1.0}};
    }
    return m_context->service->space().bounds();
}

pagmo::vector_double::size_type search_problem::get_nix() const
{
    return m_context ? m_context->service->space().integer_genes() : 0;
}

pagmo::vector_double search_problem::evaluate_batch(const pagmo::vector_double &decision_vectors,
                                                    genome_runner *runner) const
{
    auto &context = context_of(m_context);
    return context.service->evaluate_batch(decision_vectors, context.generation, runner);
}

pagmo::vector_double tbb_batch_evaluator::operator()(const pagmo::problem &problem,
                                                     const pagmo::vector_double &decision_vectors) const
{
    return evaluate_on(problem, decision_vectors, nullptr);
}

pagmo::vector_double mpi_batch_evaluator::operator()(const pagmo::problem &problem,
                                                     const pagmo::vector_double &decision_vectors) const
{
    if (m_ranks == nullptr) {
        throw std::logic_error("an MPI batch evaluator restored from a checkpoint has no worker ranks");
    }
    return evaluate_on(problem, decision_vectors, m_ranks);
}

} // namespace crimp::search
