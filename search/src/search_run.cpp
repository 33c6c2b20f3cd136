#include <crimp/search/search_run.hpp>

#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/engine/checkpoint.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/image_batches.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/split.hpp>
#include <crimp/engine/training.hpp>
#include <crimp/search/evaluator_setup.hpp>
#include <crimp/search/front.hpp>
#include <crimp/search/mpi_worker_pool.hpp>
#include <crimp/search/run_file.hpp>
#include <crimp/search/run_lock.hpp>
#include <crimp/search/search_problem.hpp>

#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/population.hpp>
#include <pagmo/s11n.hpp>
#include <pagmo/utils/generic.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <numeric>
#include <sstream>
#include <thread>

#ifndef CRIMP_VERSION
#define CRIMP_VERSION "unknown"
#endif

namespace crimp::search
{

namespace
{

using clock_type = std::chrono::steady_clock;

std::string save_algorithm(const pagmo::algorithm &algorithm)
{
    std::ostringstream stream;
    {
        boost::archive::text_oarchive archive(stream);
        archive << algorithm;
    }
    return stream.str();
}

pagmo::algorithm load_algorithm(const std::string &text, const std::filesystem::path &file)
{
    pagmo::algorithm algorithm;
    try {
        std::istringstream stream(text);
        boost::archive::text_iarchive archive(stream);
        archive >> algorithm;
    } catch (const std::exception &error) {
        throw input_error("invalid checkpoint in run file '" + file.string() + "': " + error.what());
    }
    return algorithm;
}

// One search session: the run file, its state and the objects that evolve it.
class search_session
{
public:
    search_session(search_config config, run_state state, std::filesystem::path run_file, mpi_worker_pool *ranks)
        : m_config(std::move(config)), m_state(std::move(state)), m_run_file(std::move(run_file)),
          m_previous_elapsed(m_state.elapsed_seconds), m_ranks(ranks)
    {
    }

    void run();

private:
    void persist()
    {
        m_state.elapsed_seconds = m_previous_elapsed + std::chrono::duration<double>(clock_type::now() - m_start).count();
        write_run_file(m_run_file, m_state);
    }

    pagmo::bfe batch_evaluator() const;
    pagmo::population initial_population(pagmo::problem &problem);
    pagmo::population restored_population(pagmo::problem &problem);
    void complete_generation(int generation, const pagmo::population &population, const pagmo::algorithm &algorithm);
    void score_front_on_test();

    search_config m_config;
    run_state m_state;
    std::filesystem::path m_run_file;
    double m_previous_elapsed;
    clock_type::time_point m_start = clock_type::now();
    // The worker ranks of a distributed search; null evaluates on this process's TBB workers.
    mpi_worker_pool *m_ranks;
    std::shared_ptr<search_context> m_context;
};

pagmo::bfe search_session::batch_evaluator() const
{
    return m_ranks != nullptr ? pagmo::bfe{mpi_batch_evaluator{m_ranks}} : pagmo::bfe{tbb_batch_evaluator{}};
}

pagmo::population search_session::initial_population(pagmo::problem &problem)
{
    // Drawn from the seed alone, so a run that restarts before generation 0 completes draws the same.
    pagmo::detail::random_engine_type engine(static_cast<pagmo::detail::random_engine_type::result_type>(m_config.seed));
    std::vector<double> batch;
    std::vector<pagmo::vector_double> genes;
    for (int i = 0; i < m_config.population; ++i) {
        genes.push_back(pagmo::random_decision_vector(problem, engine));
        batch.insert(batch.end(), genes.back().begin(), genes.back().end());
    }
    m_context->generation = 0;
    const auto objectives = m_context->service->evaluate_batch(batch, 0, m_ranks);
    problem.increment_fevals(genes.size());
    pagmo::population population(problem, 0U, static_cast<unsigned>(m_config.seed));
    for (std::size_t i = 0; i < genes.size(); ++i) {
        population.push_back(genes[i], {objectives.begin() + static_cast<std::ptrdiff_t>(3 * i),
                                        objectives.begin() + static_cast<std::ptrdiff_t>(3 * i + 3)});
    }
    return population;
}

pagmo::population search_session::restored_population(pagmo::problem &problem)
{
    const auto &checkpoint = *m_state.checkpoint;
    const auto &space = m_context->service->space();
    pagmo::population population(problem, 0U, static_cast<unsigned>(m_config.seed));
    for (std::size_t i = 0; i < checkpoint.population.size(); ++i) {
        auto genes = checkpoint.population[i];
        auto fitness = pagmo::vector_double(checkpoint.fitness.at(i).begin(), checkpoint.fitness.at(i).end());
        const bool finite = std::all_of(fitness.begin(), fitness.end(), [](double value) { return std::isfinite(value); });
        if (space.repair(genes) || !finite) {
            spdlog::warn("checkpoint individual {} had a NaN or out-of-bounds gene or objective; repaired and "
                         "evaluated again", i);
            const auto objectives = m_context->service->evaluate_batch(genes, checkpoint.generation, m_ranks);
            fitness.assign(objectives.begin(), objectives.end());
        }
        population.push_back(genes, fitness);
    }
    return population;
}

void search_session::complete_generation(int generation, const pagmo::population &population,
                                         const pagmo::algorithm &algorithm)
{
    generation_record record;
    record.generation = generation;
    record.population = population.get_x();
    for (const auto &fitness : population.get_f()) {
        record.fitness.push_back({fitness[0], fitness[1], fitness[2]});
    }
    record.front = non_dominated(record.fitness);
    record.hypervolume = hypervolume(record.fitness, m_state.reference_point);
    record.evaluations = m_state.evaluations.size();
    record.cache_hits = m_state.cache_hits;
    record.elapsed_seconds = m_previous_elapsed + std::chrono::duration<double>(clock_type::now() - m_start).count();
    m_state.generations.push_back(record);
    m_state.checkpoint = search_checkpoint{generation, save_algorithm(algorithm), record.population, record.fitness};
    persist();

    std::array<double, 3> best = {1e300, 1e300, 1e300};
    for (const auto &fitness : record.fitness) {
        for (int k = 0; k < 3; ++k) {
            best[k] = std::min(best[k], fitness[k]);
        }
    }
    const double per_generation = record.elapsed_seconds / static_cast<double>(generation + 1);
    spdlog::info("generation {}/{}: {} evaluations, {} cache hits, best accuracy {:.2f}%, best mCE {:.1f}, best "
                 "compression ratio {:.1f}, hypervolume {:.4f}, elapsed {}, ETA {}",
                 generation, m_config.generations, record.evaluations, record.cache_hits, 100.0 * (1.0 - best[0]),
                 best[1], 1.0 / best[2], record.hypervolume, format_duration(record.elapsed_seconds),
                 format_duration(per_generation * (m_config.generations - generation)));
}

void search_session::score_front_on_test()
{
    // Scoring models is evaluation work, so it counts towards the evaluation time of the run. Workers
    // may have lowered this thread's LibTorch threads, so the scoring takes all of them back.
    const auto start = clock_type::now();
    set_torch_threads(m_config.threads);
    const auto &evaluator = m_context->service->evaluator();
    const auto &baseline = evaluator.baseline();
    const auto test_set = make_test_scoring_set(m_config, baseline);
    const auto baseline_errors = measure_errors(*baseline.model, test_set, baseline.metadata.statistics);

    m_state.test_front.clear();
    for (const auto position : front_positions(m_state)) {
        const auto &record = m_state.evaluations[position];
        std::ifstream stream(packed_model_path(models_dir_of(m_run_file), record.key), std::ios::binary);
        const std::vector<std::uint8_t> packed{std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
        const auto [accuracy, mce] = evaluator.score_packed(packed, test_set, baseline_errors);
        m_state.test_front.push_back({record.key, accuracy, mce});
        spdlog::info("front member {}: test accuracy {:.2f}%, test mCE {:.1f} (validation {:.2f}%, {:.1f})",
                     record.key, 100.0 * accuracy, mce, 100.0 * record.accuracy, record.mce);
    }
    m_state.evaluation_seconds += std::chrono::duration<double>(clock_type::now() - start).count();
    persist();
}

void search_session::run()
{
    // 1. The baseline, the scoring images and the evaluation service.
    set_torch_threads(m_config.threads);
    // A run killed while its baseline trained has no evaluations yet and may train it again.
    auto baseline = prepare_baseline(m_config, m_state.evaluations.empty());
    if (m_ranks != nullptr) {
        m_ranks->start(m_config);
    }
    m_start = clock_type::now();
    m_context = std::make_shared<search_context>();
    auto evaluator = make_genome_evaluator(m_config, std::move(baseline));
    if (m_ranks != nullptr) {
        m_ranks->check_workers_against(*evaluator);
    }
    m_state.corruption_names = evaluator->validation().corruption_names;
    m_state.baseline_accuracy = 1.0 - evaluator->baseline_errors().clean_error;
    if (evaluation_service::stop_requested()) {
        throw search_interrupted("the search was interrupted before its first evaluation");
    }
    m_context->service = std::make_shared<evaluation_service>(m_config, evaluator, m_state, [this] { persist(); },
                                                              models_dir_of(m_run_file));
    pagmo::problem problem{search_problem{m_context}};

    // 2. Generation 0, or the population and NSGA-II state of the last complete generation.
    pagmo::population population;
    pagmo::algorithm algorithm;
    if (!m_state.checkpoint) {
        const double mutation = 1.0 / static_cast<double>(std::max<std::size_t>(1, problem.get_nx()));
        pagmo::nsga2 nsga2(1U, 0.95, 10.0, mutation, 50.0, static_cast<unsigned>(m_config.seed));
        nsga2.set_bfe(batch_evaluator());
        algorithm = pagmo::algorithm{nsga2};
        population = initial_population(problem);
        complete_generation(0, population, algorithm);
    } else {
        algorithm = load_algorithm(m_state.checkpoint->algorithm, m_run_file);
        // The checkpoint contains the evaluator of the launch that wrote it, and this launch may differ.
        algorithm.extract<pagmo::nsga2>()->set_bfe(batch_evaluator());
        population = restored_population(problem);
        spdlog::info("resuming {} after generation {} with {} evaluations", m_run_file.string(),
                     m_state.checkpoint->generation, m_state.evaluations.size());
    }

    // 3. One generation at a time, each checkpointed.
    while (m_state.checkpoint->generation < m_config.generations) {
        const int generation = m_state.checkpoint->generation + 1;
        m_context->generation = generation;
        population = algorithm.evolve(population);
        complete_generation(generation, population, algorithm);
    }

    // 4. The test scores of the front, once. Simulated evaluations have no models to score.
    if (m_config.simulate_eval_ms > 0) {
        spdlog::info("simulated evaluations ({} ms each): the front has no models, so it is not scored on the test "
                     "split",
                     m_config.simulate_eval_ms);
    } else if (m_state.test_front.empty()) {
        score_front_on_test();
    }
    if (m_ranks != nullptr) {
        spdlog::info("MPI traffic: {}", m_ranks->traffic_summary());
    }
    const double outside = m_state.elapsed_seconds - m_state.evaluation_seconds;
    spdlog::info("search finished: {} evaluations in {}, {:.1f}% of the wall time outside genome evaluation and "
                 "front scoring",
                 m_state.evaluations.size(), format_duration(m_state.elapsed_seconds),
                 100.0 * outside / std::max(1e-9, m_state.elapsed_seconds));
}

} // namespace

void start_search(const search_config &requested, const std::filesystem::path &run_file, bool force,
                  mpi_worker_pool *ranks)
{
    validate(requested);
    // Results depend on the LibTorch threads of each worker, so the run records the resolved count and a
    // resume on a machine with other cores computes the same.
    auto config = requested;
    if (config.threads == 0) {
        config.threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    }
    run_lock lock(run_file);
    if (std::filesystem::exists(run_file) && !force) {
        throw usage_error("run file '" + run_file.string() + "' exists: continue it with `crimp resume "
                          + run_file.string() + "`, choose another --out, or pass --force to start over");
    }
    std::filesystem::remove_all(models_dir_of(run_file));

    run_state state;
    state.config_json = config_to_json(config);
    state.crimp_version = CRIMP_VERSION;
    write_run_file(run_file, state);
    search_session(config, std::move(state), run_file, ranks).run();
}

void resume_search(const std::filesystem::path &run_file, std::optional<int> generations, mpi_worker_pool *ranks)
{
    if (!std::filesystem::is_regular_file(run_file)) {
        throw input_error("run file '" + run_file.string() + "' not found: start a run with `crimp search`");
    }
    run_lock lock(run_file);
    auto state = read_run_file(run_file);
    auto config = config_from_json(state.config_json, run_file.string());
    if (generations) {
        config.generations = *generations;
        validate(config);
        state.config_json = config_to_json(config);
        state.test_front.clear();
    }
    search_session(config, std::move(state), run_file, ranks).run();
}

} // namespace crimp::search
