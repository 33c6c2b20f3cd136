#include <crimp/search/evaluation_service.hpp>

#include <crimp/engine/atomic_file.hpp>
#include <crimp/engine/device.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/engine/rng.hpp>

#include <crimp/search/tbb_runner.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace crimp::search
{

namespace
{

std::atomic<bool> stop_flag{false};

} // namespace

std::filesystem::path packed_model_path(const std::filesystem::path &models_dir, const std::string &key)
{
    return models_dir / (key + ".crimp");
}

std::filesystem::path models_dir_of(const std::filesystem::path &run_file)
{
    auto folder = run_file;
    folder += ".models";
    return folder;
}

std::array<double, 3> with_tie_breaker(const std::array<double, 3> &objectives, const double *genes, std::size_t count)
{
    std::uint64_t hash = 0x9e3779b97f4a7c15ULL;
    for (std::size_t i = 0; i < count; ++i) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, genes + i, sizeof bits);
        hash = derive_seed(hash, bits);
    }
    splitmix64 generator(hash);
    auto result = objectives;
    for (auto &value : result) {
        value += 1e-12 * (1.0 + std::abs(value)) * generator.uniform();
    }
    return result;
}

evaluation_service::evaluation_service(const search_config &config, std::shared_ptr<const genome_evaluator> evaluator,
                                       run_state &state, std::function<void()> persist,
                                       std::filesystem::path models_dir)
    : m_config(config), m_space(config), m_evaluator(std::move(evaluator)), m_state(state),
      m_persist(std::move(persist)), m_models_dir(std::move(models_dir))
{
    for (std::size_t i = 0; i < m_state.evaluations.size(); ++i) {
        m_index[m_state.evaluations[i].key] = i;
    }
    m_local_runner = std::make_unique<tbb_runner>(m_evaluator, resolve_worker_layout(config));
    std::filesystem::create_directories(m_models_dir);
}

void evaluation_service::request_stop()
{
    stop_flag = true;
}

bool evaluation_service::stop_requested()
{
    return stop_flag;
}

const evaluation_record *evaluation_service::cached(const std::string &key) const
{
    const auto found = m_index.find(key);
    return found == m_index.end() ? nullptr : &m_state.evaluations[found->second];
}

void evaluation_service::store(evaluation_record record, const std::vector<std::uint8_t> &packed)
{
    if (record.ok) {
        // Simulated evaluations have no model.
        if (!packed.empty()) {
            write_file_atomically(packed_model_path(m_models_dir, record.key), packed);
        }
        spdlog::debug("evaluated {}: accuracy {:.2f}%, mCE {:.1f}, compression ratio {:.2f}, {:.1f}s", record.key,
                      100.0 * record.accuracy, record.mce, record.compression_ratio, record.seconds);
    } else {
        spdlog::warn("genome {} failed: {}", record.key, record.error);
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_state.evaluations.push_back(std::move(record));
    std::stable_sort(m_state.evaluations.begin(), m_state.evaluations.end(),
                     [](const evaluation_record &a, const evaluation_record &b) {
                         return std::tie(a.generation, a.batch_position) < std::tie(b.generation, b.batch_position);
                     });
    m_index.clear();
    for (std::size_t i = 0; i < m_state.evaluations.size(); ++i) {
        m_index[m_state.evaluations[i].key] = i;
    }
    m_persist();
}

std::vector<double> evaluation_service::evaluate_batch(const std::vector<double> &decision_vectors, int generation,
                                                      genome_runner *runner)
{
    const std::size_t dimension = m_space.dimension();
    const std::size_t count = dimension == 0 ? 0 : decision_vectors.size() / dimension;

    // 1. Decode, and list the genomes missing from the cache, in batch order.
    std::vector<std::string> keys;
    std::vector<evaluation_task> tasks;
    for (std::size_t i = 0; i < count; ++i) {
        const std::vector<double> genes(decision_vectors.begin() + static_cast<std::ptrdiff_t>(i * dimension),
                                        decision_vectors.begin() + static_cast<std::ptrdiff_t>((i + 1) * dimension));
        const auto genome = m_space.decode(genes);
        keys.push_back(genome_key(genome));
        const bool first_in_batch = std::find(keys.begin(), keys.end() - 1, keys.back()) == keys.end() - 1;
        if (cached(keys.back()) == nullptr && first_in_batch) {
            tasks.push_back({i, genome});
        } else {
            ++m_state.cache_hits;
        }
    }

    // 2. Evaluate the new genomes; each result is saved as soon as it exists.
    const auto start = std::chrono::steady_clock::now();
    progress_bar bar(tasks.size(), stderr_is_terminal() && spdlog::get_level() <= spdlog::level::info);
    std::size_t finished = 0;
    auto &chosen = runner != nullptr ? *runner : *m_local_runner;
    chosen.run(tasks, [&](evaluation_record record, const std::vector<std::uint8_t> &packed) {
        record.generation = generation;
        const std::string key = record.key;
        store(std::move(record), packed);
        std::lock_guard<std::mutex> lock(m_mutex);
        bar.update(++finished, fmt::format("generation {}: evaluated {}", generation, key));
    });
    bar.clear();
    m_state.evaluation_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (stop_requested()) {
        throw search_interrupted("the search was interrupted");
    }

    // 3. Look up every decision vector in the cache.
    std::vector<double> objectives;
    for (std::size_t i = 0; i < count; ++i) {
        const auto *record = cached(keys[i]);
        const auto values = with_tie_breaker(record->objectives, decision_vectors.data() + i * dimension, dimension);
        objectives.insert(objectives.end(), values.begin(), values.end());
    }
    return objectives;
}

} // namespace crimp::search
