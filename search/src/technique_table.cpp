#include <crimp/search/technique_table.hpp>

#include <crimp/engine/device.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/progress.hpp>
#include <crimp/search/evaluator_setup.hpp>
#include <crimp/search/model_table.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace crimp::search
{

std::string technique_table(const search_config &config, const std::vector<int> &techniques, int finetune_epochs)
{
    if (!std::filesystem::exists(config.baseline)) {
        throw input_error("baseline '" + config.baseline.string() + "' not found: train one with `crimp train`");
    }
    const int threads = set_torch_threads(config.threads);
    const auto evaluator = make_genome_evaluator(config, prepare_baseline(config));
    const auto &baseline = evaluator->baseline();
    const auto test_set = make_test_scoring_set(config, baseline);
    const auto baseline_test_errors = measure_errors(*baseline.model, test_set, baseline.metadata.statistics);

    std::string table = model_table_header();
    for (const int technique : techniques) {
        const auto genome = compression::technique_genome(technique, finetune_epochs);
        std::vector<std::uint8_t> packed;
        const auto record = evaluator->evaluate(genome, threads, packed);
        if (!record.ok) {
            throw input_error(fmt::format("technique {} failed: {}", technique, record.error));
        }
        set_torch_threads(config.threads);
        const auto [accuracy, mce] = evaluator->score_packed(packed, test_set, baseline_test_errors);
        const test_record test{record.key, accuracy, mce};
        const std::string name = fmt::format("t{} {}", technique, compression::technique_name(technique));
        table += model_table_row(name, record, &test);
        spdlog::info("{}: validation accuracy {:.2f}%, mCE {:.1f}, compression ratio {:.2f}; test accuracy {:.2f}%, "
                     "mCE {:.1f}; {}",
                     name, 100.0 * record.accuracy, record.mce, record.compression_ratio, 100.0 * accuracy, mce,
                     format_duration(record.seconds));
    }
    return table;
}

} // namespace crimp::search
