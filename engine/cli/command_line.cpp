#include "command_line.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/engine/logging.hpp>
#include <crimp/engine/training.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iostream>

namespace crimp::cli
{

namespace
{

constexpr int exit_success = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

void print_overview(std::ostream &out, const std::vector<command> &commands)
{
    out << "crimp: search for compressed CNNs that stay accurate and robust to image corruptions.\n\n"
           "Usage: crimp <command> [options]\n"
           "       crimp <command> --help\n"
           "       crimp --version\n\n"
           "Commands:\n";
    for (const auto &entry : commands) {
        out << "  " << entry.name << std::string(12 - std::min<std::size_t>(11, entry.name.size()), ' ')
            << entry.summary << '\n';
    }
    out << "\nEvery command accepts --config FILE (INI, with the long option names as keys; the command line\n"
           "overrides the file), --verbose and --quiet.\n";
}

po::options_description common_options()
{
    po::options_description options("Common options");
    options.add_options()("help,h", "print this help and exit")(
        "config", po::value<std::string>()->value_name("FILE"),
        "read options from an INI file; options on the command line take precedence")(
        "verbose,v", "log debug messages")("quiet,q", "log warnings and errors only");
    return options;
}

po::variables_map parse(const po::options_description &all, const std::string &positional,
                        const std::vector<std::string> &args)
{
    po::variables_map values;
    po::positional_options_description positions;
    if (!positional.empty()) {
        positions.add(positional.c_str(), 1);
    }
    // Abbreviated option names are not guessed, so a typo such as --generation fails instead of running.
    const auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(args).options(all).positional(positions).style(style).run(), values);
    if (values.count("config") != 0U && values.count("help") == 0U) {
        const auto file = values["config"].as<std::string>();
        std::ifstream stream(file);
        if (!stream) {
            throw usage_error("configuration file '" + file + "' not found or unreadable");
        }
        // Values stored first win in Boost.Program_options, so the command line overrides the file.
        po::store(po::parse_config_file(stream, all), values);
    }
    if (values.count("verbose") != 0U && values.count("quiet") != 0U) {
        throw usage_error("--verbose and --quiet contradict each other: pass at most one");
    }
    return values;
}

} // namespace

int run_command_line(int argc, const char *const argv[], const std::vector<command> &commands)
{
    const std::vector<std::string> arguments(argv + 1, argv + argc);
    if (arguments.empty()) {
        print_overview(std::cerr, commands);
        return exit_usage;
    }
    if (arguments[0] == "--version") {
        std::cout << "crimp " << CRIMP_VERSION << '\n';
        return exit_success;
    }
    if (arguments[0] == "--help" || arguments[0] == "-h" || arguments[0] == "help") {
        print_overview(std::cout, commands);
        return exit_success;
    }

    const auto found = std::find_if(commands.begin(), commands.end(),
                                    [&](const command &entry) { return entry.name == arguments[0]; });
    if (found == commands.end()) {
        std::cerr << "crimp: unknown command '" << arguments[0] << "'. Run 'crimp --help' for the list of commands.\n";
        return exit_usage;
    }
    const command &entry = *found;

    po::options_description own_options(entry.name + " options");
    entry.add_options(own_options);
    po::options_description all;
    all.add(own_options).add(common_options());

    try {
        auto values = parse(all, entry.positional, {arguments.begin() + 1, arguments.end()});
        if (values.count("help") != 0U) {
            std::string argument = entry.positional.empty() ? "" : " " + entry.positional;
            std::transform(argument.begin(), argument.end(), argument.begin(), [](unsigned char c) { return std::toupper(c); });
            std::cout << "Usage: crimp " << entry.name << argument << " [options]\n" << entry.summary << "\n\n" << all << '\n';
            return exit_success;
        }
        po::notify(values);
        configure_logging(values.count("quiet") != 0U    ? verbosity::quiet
                          : values.count("verbose") != 0U ? verbosity::verbose
                                                          : verbosity::normal);
        entry.run(values);
        return exit_success;
    } catch (const exit_status_request &request) {
        return request.status;
    } catch (const po::error &error) {
        std::cerr << "crimp " << entry.name << ": " << error.what() << ". Run 'crimp " << entry.name
                  << " --help' for the options.\n";
        return exit_usage;
    } catch (const usage_error &error) {
        std::cerr << "crimp " << entry.name << ": " << error.what() << '\n';
        return exit_usage;
    } catch (const std::exception &error) {
        std::cerr << "crimp " << entry.name << ": error: " << error.what() << '\n';
        return exit_failure;
    }
}

void write_output_file(const std::string &path, const std::string &document)
{
    const char *ending = !document.empty() && document.back() == '\n' ? "" : "\n";
    if (path == "-") {
        std::cout << document << ending << std::flush;
        return;
    }
    std::ofstream stream(path, std::ios::binary | std::ios::trunc);
    stream << document << ending;
    stream.close();
    if (stream.fail()) {
        throw input_error("failed to write '" + path + "': check that the folder exists and is writable");
    }
}

} // namespace crimp::cli
