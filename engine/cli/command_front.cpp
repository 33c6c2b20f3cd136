#include "command_line.hpp"
#include "run_file_options.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/search/front.hpp>
#include <crimp/search/front_export.hpp>
#include <crimp/search/html_report.hpp>
#include <crimp/search/model_table.hpp>
#include <crimp/search/run_file.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace crimp::cli
{

using namespace crimp::search;

void add_run_option(po::options_description &options)
{
    options.add_options()("run", po::value<std::string>()->required()->value_name("RUN.h5"), "run file of a search");
}

int parse_rank(const std::string &text)
{
    if (text == "all") {
        return 0;
    }
    int rank = -1;
    try {
        rank = std::stoi(text);
    } catch (const std::exception &) {
    }
    if (rank < 1) {
        throw usage_error("invalid --rank '" + text + "': expected all or a rank of 1 or more");
    }
    return rank;
}

namespace
{

// Logs which reference models the front dominates, by validation objectives.
void compare_with_reference(const run_state &state, const std::vector<std::size_t> &front,
                            const std::string &reference_file)
{
    const auto references = read_model_table(reference_file);
    std::size_t dominated = 0;
    for (const auto &reference : references) {
        const auto dominating = dominating_keys(state, front, reference);
        dominated += dominating.empty() ? 0 : 1;
        spdlog::info("reference {}: {}", reference.name,
                     dominating.empty() ? std::string("not dominated by the front")
                                        : fmt::format("dominated by {} front member(s), e.g. {}", dominating.size(),
                                                      dominating.front()));
    }
    spdlog::info("the front dominates {} of the {} reference models (validation accuracy, mCE and compression "
                 "ratio)",
                 dominated, references.size());
}

void print_front(const po::variables_map &values)
{
    const std::string file = values["run"].as<std::string>();
    const int rank = parse_rank(values["rank"].as<std::string>());
    const auto state = read_run_file(file);
    const auto front = front_positions(state, rank);
    std::string csv = model_table_header();
    for (const auto position : front) {
        const auto &record = state.evaluations[position];
        const test_record *test = nullptr;
        for (const auto &entry : state.test_front) {
            test = entry.key == record.key ? &entry : test;
        }
        csv += model_table_row(record.key, record, test);
    }
    if (values.count("csv") != 0U) {
        write_output_file(values["csv"].as<std::string>(), csv);
    } else {
        std::cout << csv;
    }
    if (values.count("reference") != 0U) {
        compare_with_reference(state, front_positions(state), values["reference"].as<std::string>());
    }
}

} // namespace

command make_front_command()
{
    command entry;
    entry.name = "front";
    entry.summary = "List the non-dominated genomes of a search with their validation (and test) objectives.";
    entry.positional = "run";
    entry.add_options = [](po::options_description &options) {
        add_run_option(options);
        options.add_options()("csv", po::value<std::string>()->value_name("FILE"), "write the front as CSV ('-': stdout)")(
            "rank", po::value<std::string>()->default_value("1"),
            "non-domination ranks to list: N lists ranks 1 to N (1: the Pareto front), all lists every evaluation")(
            "reference", po::value<std::string>()->value_name("FILE.csv"),
            "also report which models of this table (e.g. from `crimp techniques`) the front dominates");
    };
    entry.run = print_front;
    return entry;
}

command make_report_command()
{
    command entry;
    entry.name = "report";
    entry.summary = "Write a self-contained HTML report of a search: the front in three projections, hypervolume, "
                    "CE per corruption, the front table and the configuration.";
    entry.positional = "run";
    entry.add_options = [](po::options_description &options) {
        add_run_option(options);
        options.add_options()("out", po::value<std::string>()->required()->value_name("FILE.html"), "report to write")(
            "reference", po::value<std::string>()->value_name("FILE.csv"),
            "overlay the models of this table (e.g. from `crimp techniques`) and list which ones the front dominates");
    };
    entry.run = [](const po::variables_map &values) {
        const std::string file = values["run"].as<std::string>();
        const auto state = read_run_file(file);
        std::vector<reference_model> references;
        if (values.count("reference") != 0U) {
            references = read_model_table(values["reference"].as<std::string>());
        }
        const std::string title = "crimp search " + std::filesystem::path(file).filename().string();
        write_output_file(values["out"].as<std::string>(), html_report(state, title, references));
        spdlog::info("wrote {}", values["out"].as<std::string>());
    };
    return entry;
}

command make_export_command()
{
    command entry;
    entry.name = "export";
    entry.summary = "Write the non-dominated models of a search as .crimp, LibTorch .pt and JSON manifest files.";
    entry.positional = "run";
    entry.add_options = [](po::options_description &options) {
        add_run_option(options);
        options.add_options()("out", po::value<std::string>()->required()->value_name("DIR"), "folder to write")(
            "rank", po::value<std::string>()->default_value("1"),
            "non-domination ranks to export: N exports ranks 1 to N (1: the Pareto front), all exports every model");
    };
    entry.run = [](const po::variables_map &values) {
        const int rank = parse_rank(values["rank"].as<std::string>());
        const auto count = export_front(values["run"].as<std::string>(), values["out"].as<std::string>(), rank);
        spdlog::info("exported {} models to {}", count, values["out"].as<std::string>());
    };
    return entry;
}

} // namespace crimp::cli
