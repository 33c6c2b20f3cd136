#include <crimp/objectives/error_table_file.hpp>

#include <crimp/corruption/corruption.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/objectives/pareto.hpp>

#include <charconv>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string_view>
#include <tuple>

namespace crimp::objectives
{

namespace
{

// One data line of a CSV file, with its 1-based line number for messages.
struct csv_row {
    int line = 0;
    std::vector<std::string> fields;
};

// The rows of a CSV file and, for each requested column, its position in a row.
struct csv_table {
    std::vector<std::size_t> positions;
    std::vector<csv_row> rows;
};

std::string quoted(const std::filesystem::path &file)
{
    return "'" + file.string() + "'";
}

[[noreturn]] void fail_at(const std::filesystem::path &file, int line, const std::string &problem)
{
    throw input_error(quoted(file) + " line " + std::to_string(line) + ": " + problem);
}

std::string join(const std::vector<std::string> &names)
{
    std::string joined;
    for (const auto &name : names) {
        joined += (joined.empty() ? "" : ", ") + name;
    }
    return joined;
}

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// Splits one CSV line into fields. A field may be double-quoted (RFC 4180) to contain commas, with
// "" standing for a quote. Spaces around unquoted fields are dropped.
std::vector<std::string> split_csv_line(const std::string &line, const std::filesystem::path &file, int line_number)
{
    std::vector<std::string> fields;
    std::size_t position = 0;
    while (true) {
        while (position < line.size() && (line[position] == ' ' || line[position] == '\t')) {
            ++position;
        }
        std::string field;
        if (position < line.size() && line[position] == '"') {
            ++position;
            bool closed = false;
            while (position < line.size()) {
                if (line[position] != '"') {
                    field += line[position++];
                } else if (position + 1 < line.size() && line[position + 1] == '"') {
                    field += '"';
                    position += 2;
                } else {
                    ++position;
                    closed = true;
                    break;
                }
            }
            if (!closed) {
                fail_at(file, line_number, "a quoted field has no closing quote");
            }
            const auto comma = line.find(',', position);
            if (!trim(std::string_view(line).substr(position, comma - position)).empty()) {
                fail_at(file, line_number, "unexpected text after the closing quote of field " +
                                               std::to_string(fields.size() + 1));
            }
            position = comma;
        } else {
            const auto comma = line.find(',', position);
            field = std::string(trim(std::string_view(line).substr(position, comma - position)));
            position = comma;
        }
        fields.push_back(std::move(field));
        if (position == std::string::npos) {
            return fields;
        }
        ++position;
    }
}

// Reads a CSV file whose header names at least `columns`, in any order. Other columns and blank lines
// are ignored.
csv_table read_csv(const std::filesystem::path &file, const std::vector<std::string> &columns)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream) {
        throw input_error(quoted(file) + " not found or unreadable");
    }

    csv_table table;
    std::size_t header_size = 0;
    bool header_read = false;
    std::string line;
    for (int line_number = 1; std::getline(stream, line); ++line_number) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) {
            line.erase(0, 3); // UTF-8 byte order mark, as spreadsheet programs write it
        }
        if (trim(line).empty()) {
            continue;
        }
        auto fields = split_csv_line(line, file, line_number);

        if (!header_read) {
            header_read = true;
            header_size = fields.size();
            for (const auto &column : columns) {
                std::vector<std::size_t> matches;
                for (std::size_t i = 0; i < fields.size(); ++i) {
                    if (fields[i] == column) {
                        matches.push_back(i);
                    }
                }
                if (matches.empty()) {
                    fail_at(file, line_number,
                            "missing column '" + column + "'. The header must name the columns " + join(columns) +
                                " (in any order)");
                }
                if (matches.size() > 1) {
                    fail_at(file, line_number, "the header names column '" + column + "' more than once");
                }
                table.positions.push_back(matches.front());
            }
            continue;
        }

        if (fields.size() != header_size) {
            fail_at(file, line_number,
                    "found " + std::to_string(fields.size()) + " fields, expected " + std::to_string(header_size) +
                        " as in the header");
        }
        table.rows.push_back({line_number, std::move(fields)});
    }
    if (!header_read) {
        throw input_error(quoted(file) + " is empty. It needs a header naming the columns " + join(columns));
    }
    if (table.rows.empty()) {
        throw input_error(quoted(file) + " has a header but no data rows");
    }
    return table;
}

const std::string &field(const csv_table &table, const csv_row &row, std::size_t column)
{
    return row.fields[table.positions[column]];
}

template <typename Number> bool parse_number(const std::string &text, Number &value)
{
    const char *const end = text.data() + text.size();
    const auto [stop, status] = std::from_chars(text.data(), end, value);
    return status == std::errc() && stop == end && !text.empty();
}

const std::string &nonempty_name(const std::string &text, const char *column, const std::filesystem::path &file,
                                 int line)
{
    if (text.empty()) {
        fail_at(file, line, std::string("empty ") + column + " name");
    }
    return text;
}

// Errors of one variant as read from errors.csv.
struct variant_errors {
    std::string name;
    int first_line = 0;
    bool has_clean_error = false;
    error_table table;
};

struct model_errors {
    std::string name;
    std::vector<variant_errors> variants;
};

std::string describe(const model_errors &model, const variant_errors &variant)
{
    return "model " + model.name + ", variant " + variant.name + " (first row at line " +
           std::to_string(variant.first_line) + ")";
}

bool is_known_corruption(const std::string &name)
{
    for (const auto &info : corruption::corruption_list()) {
        if (info.name == name) {
            return true;
        }
    }
    return false;
}

std::string known_corruption_names()
{
    std::vector<std::string> names;
    for (const auto &info : corruption::corruption_list()) {
        names.emplace_back(info.name);
    }
    return join(names);
}

// Reads errors.csv into models and variants, both in order of first appearance.
std::vector<model_errors> read_error_rows(const std::filesystem::path &file)
{
    enum column { model_column, variant_column, corruption_column, severity_column, error_column };
    const auto table = read_csv(file, {"model", "variant", "corruption", "severity", "error"});

    std::vector<model_errors> models;
    std::map<std::string, std::size_t> model_index;
    std::map<std::pair<std::string, std::string>, std::size_t> variant_index;
    std::map<std::tuple<std::string, std::string, std::string, int>, int> line_of_entry;
    for (const auto &row : table.rows) {
        const auto &model_name = nonempty_name(field(table, row, model_column), "model", file, row.line);
        const auto &variant_name = nonempty_name(field(table, row, variant_column), "variant", file, row.line);
        const auto &corruption = field(table, row, corruption_column);
        const auto &severity_text = field(table, row, severity_column);
        const auto &error_text = field(table, row, error_column);

        const bool clean = corruption == "clean";
        if (!clean && !is_known_corruption(corruption)) {
            fail_at(file, row.line,
                    "unknown corruption '" + corruption + "'. Expected clean or one of " + known_corruption_names());
        }
        int severity = 0;
        if (!parse_number(severity_text, severity)) {
            fail_at(file, row.line, "severity '" + severity_text + "' is not an integer");
        }
        if (clean && severity != 0) {
            fail_at(file, row.line, "the clean error must have severity 0, not " + severity_text);
        }
        if (!clean && (severity < 1 || severity > corruption::severities)) {
            fail_at(file, row.line,
                    "severity " + severity_text + " of " + corruption + " is outside 1-" +
                        std::to_string(corruption::severities));
        }
        double error = 0.0;
        if (!parse_number(error_text, error)) {
            fail_at(file, row.line, "error '" + error_text + "' is not a number");
        }
        if (!(error >= 0.0 && error <= 1.0)) {
            fail_at(file, row.line, "error " + error_text + " is outside [0, 1]. Write errors as fractions, not percentages");
        }

        const auto [entry, inserted] =
            line_of_entry.emplace(std::make_tuple(model_name, variant_name, corruption, severity), row.line);
        if (!inserted) {
            fail_at(file, row.line,
                    "duplicate row for model " + model_name + ", variant " + variant_name + ", " + corruption +
                        " severity " + severity_text + " (first at line " + std::to_string(entry->second) + ")");
        }

        const auto [model_slot, new_model] = model_index.emplace(model_name, models.size());
        if (new_model) {
            models.push_back({model_name, {}});
        }
        auto &model = models[model_slot->second];
        const auto [variant_slot, new_variant] =
            variant_index.emplace(std::make_pair(model_name, variant_name), model.variants.size());
        if (new_variant) {
            variant_errors variant;
            variant.name = variant_name;
            variant.first_line = row.line;
            model.variants.push_back(std::move(variant));
        }
        auto &variant = model.variants[variant_slot->second];

        if (clean) {
            variant.has_clean_error = true;
            variant.table.clean_error = error;
        } else {
            variant.table.corruption_errors[{corruption, severity}] = error;
        }
    }
    return models;
}

// Checks that a variant has its clean error, every benchmark (corruption, severity), and either all or
// none of the severities of each extra corruption.
void check_complete(const std::filesystem::path &file, const model_errors &model, const variant_errors &variant)
{
    if (!variant.has_clean_error) {
        throw input_error(quoted(file) + ": " + describe(model, variant) +
                          " has no clean error (a row with corruption clean and severity 0)");
    }
    const auto &entries = variant.table.corruption_errors;
    const auto require_all = [&](const std::string &corruption) {
        for (int severity = 1; severity <= corruption::severities; ++severity) {
            if (entries.count({corruption, severity}) == 0) {
                throw input_error(quoted(file) + ": " + describe(model, variant) + " has no row for " + corruption +
                                  " severity " + std::to_string(severity));
            }
        }
    };
    for (const auto &corruption : benchmark_corruptions()) {
        require_all(corruption);
    }
    for (const auto &corruption : extra_corruptions()) {
        if (entries.lower_bound({corruption, 1}) != entries.upper_bound({corruption, corruption::severities})) {
            require_all(corruption);
        }
    }
}

const variant_errors &find_baseline(const std::filesystem::path &file, const model_errors &model,
                                    const std::string &baseline_variant)
{
    std::vector<std::string> names;
    for (const auto &variant : model.variants) {
        if (variant.name == baseline_variant) {
            return variant;
        }
        names.push_back(variant.name);
    }
    throw input_error(quoted(file) + ": model " + model.name + " has no rows for the baseline variant '" +
                      baseline_variant + "'. Its variants are " + join(names));
}

using size_map = std::map<std::pair<std::string, std::string>, std::uint64_t>;

// Reads sizes.csv. Rows for variants that errors.csv lacks are allowed and unused.
size_map read_sizes(const std::filesystem::path &file)
{
    enum column { model_column, variant_column, size_column };
    const auto table = read_csv(file, {"model", "variant", "size_bytes"});

    size_map sizes;
    std::map<std::pair<std::string, std::string>, int> line_of_variant;
    for (const auto &row : table.rows) {
        const auto &model_name = nonempty_name(field(table, row, model_column), "model", file, row.line);
        const auto &variant_name = nonempty_name(field(table, row, variant_column), "variant", file, row.line);
        const auto &size_text = field(table, row, size_column);

        std::uint64_t size = 0;
        const bool digits_only = size_text.find_first_not_of("0123456789") == std::string::npos;
        if (!digits_only || !parse_number(size_text, size) || size == 0) {
            fail_at(file, row.line, "size_bytes '" + size_text + "' is not a positive integer");
        }
        const auto key = std::make_pair(model_name, variant_name);
        const auto [entry, inserted] = line_of_variant.emplace(key, row.line);
        if (!inserted) {
            fail_at(file, row.line,
                    "duplicate row for model " + model_name + ", variant " + variant_name + " (first at line " +
                        std::to_string(entry->second) + ")");
        }
        sizes[key] = size;
    }
    return sizes;
}

std::uint64_t find_size(const size_map &sizes, const std::filesystem::path &sizes_csv,
                        const std::filesystem::path &errors_csv, const model_errors &model,
                        const variant_errors &variant)
{
    const auto found = sizes.find({model.name, variant.name});
    if (found == sizes.end()) {
        throw input_error(quoted(sizes_csv) + ": no row for model " + model.name + ", variant " + variant.name +
                          ", which " + quoted(errors_csv) + " lists at line " + std::to_string(variant.first_line));
    }
    return found->second;
}

// Rounds half away from zero and turns -0 into 0, so that the value prints as it compares.
double round_to_decimals(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    const double rounded = std::round(value * scale) / scale;
    return rounded == 0.0 ? 0.0 : rounded;
}

void mark_non_dominated(std::vector<variant_summary> &summaries)
{
    // Every objective as minimised: accuracy and compression ratio negated.
    std::vector<std::vector<double>> points;
    for (const auto &summary : summaries) {
        points.push_back({-summary.accuracy_pct, summary.mce, -summary.compression_ratio});
    }
    const auto marks = non_dominated(points);
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        summaries[i].non_dominated = marks[i];
    }
}

std::string csv_field(const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos && trim(text) == text) {
        return text;
    }
    std::string escaped = "\"";
    for (const char c : text) {
        escaped += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return escaped + "\"";
}

std::string fixed(double value, int decimals)
{
    std::ostringstream stream;
    stream << std::fixed << std::setprecision(decimals) << value;
    return stream.str();
}

} // namespace

std::vector<variant_summary> summarise_error_tables(const std::filesystem::path &errors_csv,
                                                    const std::filesystem::path &sizes_csv,
                                                    const std::string &baseline_variant, rounding_mode rounding)
{
    const auto models = read_error_rows(errors_csv);
    for (const auto &model : models) {
        for (const auto &variant : model.variants) {
            check_complete(errors_csv, model, variant);
        }
    }
    const bool have_sizes = !sizes_csv.empty();
    const auto sizes = have_sizes ? read_sizes(sizes_csv) : size_map{};

    std::vector<variant_summary> summaries;
    for (const auto &model : models) {
        const auto &baseline = find_baseline(errors_csv, model, baseline_variant);
        const auto baseline_size = have_sizes ? find_size(sizes, sizes_csv, errors_csv, model, baseline) : 1;
        for (const auto &variant : model.variants) {
            robustness_scores scores;
            try {
                scores = score_robustness(variant.table, baseline.table, rounding);
            } catch (const std::invalid_argument &error) {
                throw input_error(quoted(errors_csv) + ": cannot score " + describe(model, variant) +
                                  " against the baseline variant " + baseline_variant + ": " + error.what());
            }
            const auto size = have_sizes ? find_size(sizes, sizes_csv, errors_csv, model, variant) : 1;

            variant_summary summary;
            summary.model = model.name;
            summary.variant = variant.name;
            summary.accuracy_pct = round_to_decimals(100.0 * (1.0 - variant.table.clean_error), 2);
            summary.mce = round_to_decimals(scores.mce, 1);
            summary.relative_mce = round_to_decimals(scores.relative_mce, 1);
            summary.compression_ratio =
                round_to_decimals(static_cast<double>(baseline_size) / static_cast<double>(size), 3);
            summaries.push_back(std::move(summary));
        }
    }
    mark_non_dominated(summaries);
    return summaries;
}

std::string format_variant_summaries(const std::vector<variant_summary> &summaries)
{
    std::string text = "model,variant,accuracy_pct,mce,relative_mce,compression_ratio,non_dominated\n";
    for (const auto &summary : summaries) {
        text += csv_field(summary.model) + ',' + csv_field(summary.variant) + ',' + fixed(summary.accuracy_pct, 2) +
                ',' + fixed(summary.mce, 1) + ',' + fixed(summary.relative_mce, 1) + ',' +
                fixed(summary.compression_ratio, 3) + ',' + (summary.non_dominated ? '1' : '0') + '\n';
    }
    return text;
}

} // namespace crimp::objectives
