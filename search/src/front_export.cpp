#include <crimp/search/front_export.hpp>

#include <crimp/compression/packed_format.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/search/evaluation_service.hpp>
#include <crimp/search/front.hpp>
#include <crimp/search/run_file.hpp>
#include <crimp/search/search_config.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

namespace crimp::search
{

namespace
{

nlohmann::json manifest_of(const evaluation_record &record, const run_state &state, const search_config &config)
{
    nlohmann::json document = {{"key", record.key},
                               {"genome",
                                {{"sparsity", record.genome.sparsity},
                                 {"bits", record.genome.bits},
                                 {"clusters", record.genome.clusters},
                                 {"route", compression::to_string(record.genome.route)},
                                 {"full_integer", record.genome.full_integer},
                                 {"finetune_epochs", record.genome.finetune_epochs}}},
                               {"validation",
                                {{"accuracy", record.accuracy},
                                 {"mce", record.mce},
                                 {"compression_ratio", record.compression_ratio},
                                 {"deflate_ratio", record.deflate_ratio},
                                 {"packed_bytes", record.packed_bytes}}},
                               {"baseline", config.baseline.string()},
                               {"seed", config.seed},
                               {"crimp_version", state.crimp_version}};
    for (const auto &test : state.test_front) {
        if (test.key == record.key) {
            document["test"] = {{"accuracy", test.accuracy}, {"mce", test.mce}};
        }
    }
    return document;
}

} // namespace

std::size_t export_front(const std::filesystem::path &run_file, const std::filesystem::path &folder, int rank)
{
    const auto state = read_run_file(run_file);
    const auto config = config_from_json(state.config_json, run_file.string());
    if (config.simulate_eval_ms > 0) {
        throw usage_error("run file '" + run_file.string() + "' contains simulated evaluations (simulate_eval_ms "
                          + std::to_string(config.simulate_eval_ms)
                          + "), made for scaling studies: it has no models to export; run the search without "
                            "--simulate-eval-ms");
    }
    const auto positions = front_positions(state, rank);
    if (positions.empty()) {
        throw input_error("run file '" + run_file.string() + "' has no successful evaluation to export yet");
    }
    std::filesystem::create_directories(folder);
    const auto models = models_dir_of(run_file);
    for (const auto position : positions) {
        const auto &record = state.evaluations[position];
        const auto packed_file = packed_model_path(models, record.key);
        if (!std::filesystem::exists(packed_file)) {
            throw input_error("packed model '" + packed_file.string() + "' of genome " + record.key
                              + " is missing: keep the .models folder beside the run file");
        }
        const auto model = compression::read_packed(packed_file);
        std::filesystem::copy_file(packed_file, folder / (record.key + ".crimp"),
                                   std::filesystem::copy_options::overwrite_existing);
        // NOTE: the LibTorch archive has the decoded weights but not the activation quantizers of a
        // full-integer model; evaluate the .crimp file for the full-integer accuracy.
        save_model(folder / (record.key + ".pt"), *model.model, model.metadata);
        std::ofstream manifest(folder / (record.key + ".json"));
        manifest << manifest_of(record, state, config).dump(2) << '\n';
    }
    return positions.size();
}

} // namespace crimp::search
