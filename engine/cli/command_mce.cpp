#include "command_line.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/objectives/error_table_file.hpp>

#include <spdlog/spdlog.h>

namespace crimp::cli
{

command make_mce_command()
{
    command entry;
    entry.name = "mce";
    entry.summary = "Score compressed variants from their error tables: accuracy, mCE, relative mCE, compression "
                    "ratio and the non-dominated set.";
    entry.add_options = [](po::options_description &options) {
        options.add_options()
            ("errors", po::value<std::string>()->required()->value_name("FILE.csv"),
             "top-1 errors as fractions, columns model,variant,corruption,severity,error "
             "(corruption 'clean' with severity 0 for the clean error)")
            ("sizes", po::value<std::string>()->value_name("FILE.csv"),
             "model file sizes, columns model,variant,size_bytes (without it every compression ratio is 1)")
            ("baseline-variant", po::value<std::string>()->required()->value_name("NAME"),
             "variant that normalises the CE and compression ratio of every variant of the same model")
            ("rounding", po::value<std::string>()->default_value("none")->value_name("MODE"),
             "none (full precision until output), or paper: each CE_c rounded to an integer before the mean")
            ("csv", po::value<std::string>()->value_name("FILE"), "write the summary CSV to FILE (default: stdout)");
    };
    entry.run = [](const po::variables_map &values) {
        const auto rounding = objectives::parse_rounding_mode(values["rounding"].as<std::string>());
        const auto baseline_variant = values["baseline-variant"].as<std::string>();
        if (baseline_variant.empty()) {
            throw usage_error("--baseline-variant is empty: give the name of the uncompressed variant");
        }
        const std::string errors_csv = values["errors"].as<std::string>();
        const std::string sizes_csv = values.count("sizes") != 0U ? values["sizes"].as<std::string>() : "";

        const auto summaries = objectives::summarise_error_tables(errors_csv, sizes_csv, baseline_variant, rounding);
        std::size_t front_size = 0;
        for (const auto &summary : summaries) {
            front_size += summary.non_dominated ? 1 : 0;
        }
        spdlog::info("scored {} variants from {}, {} of them non-dominated", summaries.size(), errors_csv, front_size);

        const auto output = values.count("csv") != 0U ? values["csv"].as<std::string>() : std::string("-");
        write_output_file(output, objectives::format_variant_summaries(summaries));
    };
    return entry;
}

} // namespace crimp::cli
