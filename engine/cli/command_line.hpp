#pragma once

#include <boost/program_options.hpp>

#include <functional>
#include <string>
#include <vector>

namespace crimp::cli
{

namespace po = boost::program_options;

// One `crimp <name>` subcommand: its options (beyond --help, --config, --verbose and --quiet, which
// every command has) and the function that runs it with the parsed values.
struct command {
    std::string name;
    std::string summary;
    std::function<void(po::options_description &)> add_options;
    std::function<void(const po::variables_map &)> run;
    // Option that also takes the command's one positional argument (e.g. "run" for `crimp resume RUN.h5`).
    std::string positional;
};

command make_models_command();
command make_train_command();
command make_evaluate_command();
command make_corrupt_command();
command make_mce_command();
command make_compress_command();
command make_search_command();
command make_resume_command();
command make_status_command();
command make_front_command();
command make_export_command();
command make_report_command();
command make_techniques_command();

// Thrown by a command that ends, after cleaning up, with an exit status of its own (130 after Ctrl-C).
struct exit_status_request {
    int status;
};

// Parses `crimp <command> [options]`, runs the command and returns the exit status: 0 on success,
// 2 for usage errors, 1 for failures, or the status of an exit_status_request.
int run_command_line(int argc, const char *const argv[], const std::vector<command> &commands);

// Writes a document (JSON, CSV) to a file, or to standard output when the path is "-".
void write_output_file(const std::string &path, const std::string &document);

} // namespace crimp::cli
