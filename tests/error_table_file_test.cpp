#include "test_support.hpp"

#include <crimp/engine/error.hpp>
#include <crimp/objectives/error_table_file.hpp>
#include <crimp/objectives/pareto.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace crimp::objectives;
namespace fs = std::filesystem;

namespace
{

const std::string errors_header = "model,variant,corruption,severity,error";
const std::string sizes_header = "model,variant,size_bytes";

// A variant whose error is `level` + 0.01 · severity on every benchmark corruption, so each
// corruption's errors sum to 5 · level + 0.15.
struct variant_spec {
    std::string model;
    std::string variant;
    double clean_error;
    double level;
    std::uint64_t size_bytes;
};

// Two models with baseline variant `base`. In errors.csv each variant takes 76 lines (clean first,
// then the 15 benchmark corruptions in order, severities 1 to 5), so variant k starts at line 2 + 76k.
const std::vector<variant_spec> two_models = {
    {"resnet20", "base", 0.10, 0.30, 4000},      {"resnet20", "pruned", 0.12, 0.27, 1000},
    {"resnet20", "quantized", 0.09, 0.33, 2000}, {"resnet20", "clustered", 0.13, 0.31, 2000},
    {"vgg11", "base", 0.05, 0.20, 9000},         {"vgg11", "pruned", 0.06, 0.22, 3000},
};

std::string decimal(double value)
{
    std::ostringstream stream;
    stream << std::fixed << std::setprecision(4) << value;
    return stream.str();
}

// The data rows of errors.csv and sizes.csv, without headers, so that tests can edit them.
struct table_rows {
    std::string errors_header = ::errors_header;
    std::vector<std::string> errors;
    std::string sizes_header = ::sizes_header;
    std::vector<std::string> sizes;
};

table_rows rows_for(const std::vector<variant_spec> &specs)
{
    table_rows rows;
    for (const auto &spec : specs) {
        const std::string prefix = spec.model + "," + spec.variant + ",";
        rows.errors.push_back(prefix + "clean,0," + decimal(spec.clean_error));
        for (const auto &corruption : benchmark_corruptions()) {
            for (int severity = 1; severity <= 5; ++severity) {
                rows.errors.push_back(prefix + corruption + "," + std::to_string(severity) + "," +
                                      decimal(spec.level + 0.01 * severity));
            }
        }
        rows.sizes.push_back(prefix + std::to_string(spec.size_bytes));
    }
    return rows;
}

void write_lines(const fs::path &file, const std::string &header, const std::vector<std::string> &lines)
{
    std::string text = header + "\n";
    for (const auto &line : lines) {
        text += line + "\n";
    }
    crimp::testing::write_bytes(file, text);
}

// Writes errors.csv and sizes.csv into a folder.
struct table_files {
    fs::path errors;
    fs::path sizes;

    table_files(const fs::path &folder, const table_rows &rows)
        : errors(folder / "errors.csv"), sizes(folder / "sizes.csv")
    {
        write_lines(errors, rows.errors_header, rows.errors);
        write_lines(sizes, rows.sizes_header, rows.sizes);
    }
};

std::string read_text(const fs::path &file)
{
    std::ifstream stream(file);
    std::stringstream text;
    text << stream.rdbuf();
    return text.str();
}

std::vector<std::vector<std::string>> parse_simple_csv(const std::string &text)
{
    std::vector<std::vector<std::string>> rows;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty()) {
            continue;
        }
        std::vector<std::string> fields;
        std::istringstream cells(line);
        std::string cell;
        while (std::getline(cells, cell, ',')) {
            fields.push_back(cell);
        }
        rows.push_back(fields);
    }
    return rows;
}

std::string input_error_message(const std::function<void()> &action)
{
    try {
        action();
    } catch (const crimp::input_error &error) {
        return error.what();
    }
    return "(no crimp::input_error raised)";
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("pareto dominance when minimising")
{
    CHECK(dominates({1.0, 2.0}, {1.0, 3.0}));
    CHECK(dominates({0.0, 0.0, 0.0}, {1.0, 1.0, 1.0}));
    CHECK_FALSE(dominates({1.0, 3.0}, {1.0, 2.0}));
    CHECK_FALSE(dominates({1.0, 2.0}, {1.0, 2.0}));
    CHECK_FALSE(dominates({0.0, 3.0}, {1.0, 2.0}));
    CHECK_THROWS_AS(dominates({1.0}, {1.0, 2.0}), std::invalid_argument);
}

TEST_CASE("pareto front keeps duplicates")
{
    const std::vector<std::vector<double>> points = {
        {1.0, 5.0}, {2.0, 2.0}, {2.0, 2.0}, {3.0, 3.0}, {5.0, 1.0}, {5.0, 2.0},
    };
    const std::vector<bool> expected = {true, true, true, false, true, false};

    CHECK(non_dominated(points) == expected);
    CHECK(non_dominated({}).empty());
}

TEST_CASE("paper error tables reproduce expected summary")
{
    const auto shared = crimp::testing::shared_dir();
    if (!shared) {
        crimp::testing::skip("shared test data folder not found");
        return;
    }
    const fs::path folder = *shared / "reference" / "paper-errors" / "cifar10-resnet50";
    const auto summaries =
        summarise_error_tables(folder / "errors.csv", folder / "sizes.csv", "t01_original", rounding_mode::paper);
    const auto actual = parse_simple_csv(format_variant_summaries(summaries));
    const auto expected = parse_simple_csv(read_text(folder / "expected.csv"));

    REQUIRE(expected.size() == 17);
    REQUIRE(actual.size() == expected.size());
    const std::vector<std::string> expected_header = {"model",        "variant",           "accuracy_pct", "mCE",
                                                      "relative_mCE", "compression_ratio", "on_model_front"};
    REQUIRE(expected[0] == expected_header);
    for (std::size_t row = 1; row < expected.size(); ++row) {
        INFO("variant " << expected[row][1]);
        REQUIRE(actual[row].size() == 7);
        CHECK(actual[row][0] == expected[row][0]);
        CHECK(actual[row][1] == expected[row][1]);
        CHECK(actual[row][2] == expected[row][2]);
        CHECK(actual[row][3] == expected[row][3]);
        CHECK(actual[row][4] == expected[row][4]);
        CHECK(actual[row][5] == expected[row][5]);
        CHECK(actual[row][6] == expected[row][6]);
    }
}

TEST_CASE("two models share one file")
{
    crimp::testing::temporary_folder folder;
    const table_files files(folder.path(), rows_for(two_models));

    const auto summaries = summarise_error_tables(files.errors, files.sizes, "base", rounding_mode::paper);

    // Each model is normalised by its own baseline. The front spans both models, so vgg11/base
    // dominates resnet20/base and vgg11/pruned dominates resnet20/quantized.
    const std::string expected = "model,variant,accuracy_pct,mce,relative_mce,compression_ratio,non_dominated\n"
                                 "resnet20,base,90.00,100.0,100.0,1.000,0\n"
                                 "resnet20,pruned,88.00,91.0,78.0,4.000,1\n"
                                 "resnet20,quantized,91.00,109.0,117.0,2.000,0\n"
                                 "resnet20,clustered,87.00,103.0,91.0,2.000,0\n"
                                 "vgg11,base,95.00,100.0,100.0,1.000,1\n"
                                 "vgg11,pruned,94.00,109.0,106.0,3.000,1\n";
    CHECK(format_variant_summaries(summaries) == expected);
}

TEST_CASE("rounding none keeps fractional CE")
{
    crimp::testing::temporary_folder folder;
    const table_files files(folder.path(), rows_for(two_models));

    const auto summaries = summarise_error_tables(files.errors, files.sizes, "base", rounding_mode::none);

    REQUIRE(summaries.size() == 6);
    // resnet20/pruned: 100 · 1.50 / 1.65 and 100 · (1.50 − 0.60) / (1.65 − 0.50).
    CHECK(summaries[1].mce == doctest::Approx(90.9));
    CHECK(summaries[1].relative_mce == doctest::Approx(78.3));
    // vgg11/pruned: 100 · 1.25 / 1.15 and 100 · (1.25 − 0.30) / (1.15 − 0.25).
    CHECK(summaries[5].mce == doctest::Approx(108.7));
    CHECK(summaries[5].relative_mce == doctest::Approx(105.6));
}

TEST_CASE("summary without sizes file")
{
    crimp::testing::temporary_folder folder;
    const table_files files(folder.path(), rows_for(two_models));

    const auto summaries = summarise_error_tables(files.errors, "", "base", rounding_mode::paper);

    REQUIRE(summaries.size() == 6);
    for (const auto &summary : summaries) {
        INFO(summary.model << "/" << summary.variant);
        CHECK(summary.compression_ratio == 1.0);
    }
    // With equal ratios only accuracy and mCE decide: vgg11/base (95.00, 100.0) dominates all but
    // resnet20/pruned (88.00, 91.0).
    const std::vector<bool> expected = {false, true, false, false, true, false};
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        INFO(summaries[i].model << "/" << summaries[i].variant);
        CHECK(summaries[i].non_dominated == expected[i]);
    }
}

TEST_CASE("column and row order do not change scores")
{
    crimp::testing::temporary_folder folder;
    const auto rows = rows_for(two_models);
    const table_files files(folder.path(), rows);

    // Columns error,severity,corruption,variant,model and the rows reversed.
    table_rows shuffled;
    shuffled.errors_header = "error,severity,corruption,variant,model";
    for (auto row = rows.errors.rbegin(); row != rows.errors.rend(); ++row) {
        auto fields = parse_simple_csv(*row).front();
        std::reverse(fields.begin(), fields.end());
        shuffled.errors.push_back(fields[0] + "," + fields[1] + "," + fields[2] + "," + fields[3] + "," + fields[4]);
    }
    shuffled.sizes_header = "size_bytes,model,variant";
    for (auto row = rows.sizes.rbegin(); row != rows.sizes.rend(); ++row) {
        const auto fields = parse_simple_csv(*row).front();
        shuffled.sizes.push_back(fields[2] + "," + fields[0] + "," + fields[1]);
    }
    const fs::path shuffled_folder = folder.path() / "shuffled";
    fs::create_directories(shuffled_folder);
    const table_files shuffled_files(shuffled_folder, shuffled);

    const auto original = summarise_error_tables(files.errors, files.sizes, "base", rounding_mode::none);
    const auto reordered =
        summarise_error_tables(shuffled_files.errors, shuffled_files.sizes, "base", rounding_mode::none);

    REQUIRE(original.size() == reordered.size());
    // Output follows first appearance in errors.csv, so the reversed file lists vgg11/pruned first.
    CHECK(reordered.front().model == "vgg11");
    CHECK(reordered.front().variant == "pruned");
    std::map<std::string, variant_summary> by_name;
    for (const auto &summary : reordered) {
        by_name[summary.model + "/" + summary.variant] = summary;
    }
    for (const auto &summary : original) {
        const auto name = summary.model + "/" + summary.variant;
        INFO(name);
        REQUIRE(by_name.count(name) == 1);
        const auto &other = by_name.at(name);
        CHECK(other.accuracy_pct == summary.accuracy_pct);
        CHECK(other.mce == summary.mce);
        CHECK(other.relative_mce == summary.relative_mce);
        CHECK(other.compression_ratio == summary.compression_ratio);
        CHECK(other.non_dominated == summary.non_dominated);
    }
}

TEST_CASE("quoted names and extra columns")
{
    crimp::testing::temporary_folder folder;
    auto rows = rows_for({{"resnet20", "base", 0.10, 0.30, 4000}, {"resnet20", "prune,50", 0.12, 0.27, 1000}});
    rows.errors_header += ",note";
    for (auto &row : rows.errors) {
        const auto comma = row.find(",prune,50,");
        if (comma != std::string::npos) {
            row.replace(comma, 10, ",\"prune,50\",");
        }
        row += ",\"free text, ignored\"";
    }
    rows.sizes.back() = "resnet20,\"prune,50\",1000";
    const table_files files(folder.path(), rows);

    const auto summaries = summarise_error_tables(files.errors, files.sizes, "base", rounding_mode::paper);

    REQUIRE(summaries.size() == 2);
    CHECK(summaries[1].variant == "prune,50");
    CHECK(summaries[1].compression_ratio == 4.0);
    CHECK(contains(format_variant_summaries(summaries), "\nresnet20,\"prune,50\",88.00,91.0,78.0,4.000,1\n"));
}

TEST_CASE("extra corruptions are accepted")
{
    crimp::testing::temporary_folder folder;
    auto rows = rows_for(two_models);
    for (int severity = 1; severity <= 5; ++severity) {
        rows.errors.push_back("resnet20,pruned,spatter," + std::to_string(severity) + ",0.9");
    }
    const table_files files(folder.path(), rows);

    const auto summaries = summarise_error_tables(files.errors, files.sizes, "base", rounding_mode::paper);

    REQUIRE(summaries.size() == 6);
    CHECK(summaries[1].mce == doctest::Approx(91.0));
}

TEST_CASE("bad error tables raise input errors")
{
    // Each case edits the two files and lists what the message must contain.
    struct bad_input_case {
        std::string name;
        std::function<void(table_rows &)> edit;
        std::vector<std::string> message_parts;
        std::string baseline = "base";
    };
    // Line n of errors.csv is rows.errors[n - 2], so rows.errors[8] is line 10: resnet20/base
    // shot_noise severity 3 (clean at line 2, gaussian_noise at lines 3-7, shot_noise at 8-12).
    const std::vector<bad_input_case> cases = {
        {"missing column",
         [](table_rows &rows) { rows.errors_header = "model,variant,corruption,level,error"; },
         {"errors.csv' line 1:", "missing column 'severity'"}},
        {"duplicate column",
         [](table_rows &rows) { rows.errors_header = "model,variant,corruption,severity,error,model"; },
         {"errors.csv' line 1:", "column 'model' more than once"}},
        {"missing severity",
         [](table_rows &rows) {
             const auto found = std::find(rows.errors.begin(), rows.errors.end(), "resnet20,pruned,fog,3,0.3000");
             REQUIRE(found != rows.errors.end());
             rows.errors.erase(found);
         },
         {"errors.csv':", "model resnet20, variant pruned (first row at line 78)", "no row for fog severity 3"}},
        {"missing clean error",
         [](table_rows &rows) { rows.errors.erase(rows.errors.begin() + 76); },
         {"errors.csv':", "variant pruned (first row at line 78)", "has no clean error"}},
        {"error above one",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,3,1.5"; },
         {"errors.csv' line 10:", "error 1.5 is outside [0, 1]"}},
        {"error in percent",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,3,33"; },
         {"errors.csv' line 10:", "error 33 is outside [0, 1]"}},
        {"negative error",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,3,-0.1"; },
         {"errors.csv' line 10:", "error -0.1 is outside [0, 1]"}},
        {"error not a number",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,3,0.3x"; },
         {"errors.csv' line 10:", "error '0.3x' is not a number"}},
        {"empty error",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,3,"; },
         {"errors.csv' line 10:", "error '' is not a number"}},
        {"nan error",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,3,nan"; },
         {"errors.csv' line 10:", "outside [0, 1]"}},
        {"duplicate row",
         [](table_rows &rows) { rows.errors.push_back(rows.errors[8]); },
         {"errors.csv' line 458:", "duplicate row for model resnet20, variant base, shot_noise severity 3",
          "first at line 10"}},
        {"unknown corruption",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,hail,3,0.3"; },
         {"errors.csv' line 10:", "unknown corruption 'hail'", "jpeg_compression"}},
        {"severity outside range",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,6,0.3"; },
         {"errors.csv' line 10:", "severity 6 of shot_noise is outside 1-5"}},
        {"severity not an integer",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,2.5,0.3"; },
         {"errors.csv' line 10:", "severity '2.5' is not an integer"}},
        {"clean with severity",
         [](table_rows &rows) { rows.errors[0] = "resnet20,base,clean,1,0.1"; },
         {"errors.csv' line 2:", "clean error must have severity 0"}},
        {"empty variant name",
         [](table_rows &rows) { rows.errors[8] = "resnet20,,shot_noise,3,0.3"; },
         {"errors.csv' line 10:", "empty variant name"}},
        {"too few fields",
         [](table_rows &rows) { rows.errors[8] = "resnet20,base,shot_noise,3"; },
         {"errors.csv' line 10:", "found 4 fields, expected 5"}},
        {"unclosed quote",
         [](table_rows &rows) { rows.errors[8] = "resnet20,\"base,shot_noise,3,0.3"; },
         {"errors.csv' line 10:", "no closing quote"}},
        {"partial extra corruption",
         [](table_rows &rows) { rows.errors.push_back("vgg11,base,saturate,1,0.2"); },
         {"errors.csv':", "model vgg11, variant base (first row at line 306)", "no row for saturate severity 2"}},
        {"missing baseline variant",
         [](table_rows &) {},
         {"errors.csv':", "model resnet20 has no rows for the baseline variant 'original'",
          "base, pruned, quantized, clustered"},
         "original"},
        {"baseline only for one model",
         [](table_rows &rows) {
             for (auto &row : rows.errors) {
                 if (row.rfind("vgg11,base,", 0) == 0) {
                     row.replace(0, 11, "vgg11,dense,");
                 }
             }
             rows.sizes[4] = "vgg11,dense,9000";
         },
         {"errors.csv':", "model vgg11 has no rows for the baseline variant 'base'"}},
        {"zero size",
         [](table_rows &rows) { rows.sizes[1] = "resnet20,pruned,0"; },
         {"sizes.csv' line 3:", "size_bytes '0' is not a positive integer"}},
        {"negative size",
         [](table_rows &rows) { rows.sizes[1] = "resnet20,pruned,-5"; },
         {"sizes.csv' line 3:", "size_bytes '-5' is not a positive integer"}},
        {"fractional size",
         [](table_rows &rows) { rows.sizes[1] = "resnet20,pruned,12.5"; },
         {"sizes.csv' line 3:", "size_bytes '12.5' is not a positive integer"}},
        {"size not a number",
         [](table_rows &rows) { rows.sizes[1] = "resnet20,pruned,big"; },
         {"sizes.csv' line 3:", "size_bytes 'big' is not a positive integer"}},
        {"size out of range",
         [](table_rows &rows) { rows.sizes[1] = "resnet20,pruned,99999999999999999999999"; },
         {"sizes.csv' line 3:", "is not a positive integer"}},
        {"duplicate size row",
         [](table_rows &rows) { rows.sizes.push_back("resnet20,pruned,1000"); },
         {"sizes.csv' line 8:", "duplicate row for model resnet20, variant pruned (first at line 3)"}},
        {"variant missing from sizes",
         [](table_rows &rows) { rows.sizes.erase(rows.sizes.begin() + 2); },
         {"sizes.csv':", "no row for model resnet20, variant quantized", "errors.csv' lists at line 154"}},
        {"sizes missing column",
         [](table_rows &rows) { rows.sizes_header = "model,variant,bytes"; },
         {"sizes.csv' line 1:", "missing column 'size_bytes'"}},
        {"errors without data rows",
         [](table_rows &rows) { rows.errors.clear(); },
         {"errors.csv' has a header but no data rows"}},
    };

    for (const auto &bad : cases) {
        CAPTURE(bad.name);
        crimp::testing::temporary_folder folder;
        auto rows = rows_for(two_models);
        bad.edit(rows);
        const table_files files(folder.path(), rows);

        const auto message = input_error_message(
            [&] { summarise_error_tables(files.errors, files.sizes, bad.baseline, rounding_mode::paper); });

        INFO("message: " << message);
        CHECK(contains(message, folder.path().string()));
        for (const auto &part : bad.message_parts) {
            CHECK_MESSAGE(contains(message, part), "expected part: " << part);
        }
    }
}

TEST_CASE("missing or empty files raise input errors")
{
    crimp::testing::temporary_folder folder;
    const table_files files(folder.path(), rows_for(two_models));
    const fs::path absent = folder.path() / "absent.csv";
    const fs::path empty = folder.path() / "empty.csv";
    crimp::testing::write_bytes(empty, "");

    const auto absent_errors =
        input_error_message([&] { summarise_error_tables(absent, files.sizes, "base", rounding_mode::none); });
    const auto absent_sizes =
        input_error_message([&] { summarise_error_tables(files.errors, absent, "base", rounding_mode::none); });
    const auto empty_errors =
        input_error_message([&] { summarise_error_tables(empty, files.sizes, "base", rounding_mode::none); });

    CHECK(absent_errors == "'" + absent.string() + "' not found or unreadable");
    CHECK(absent_sizes == "'" + absent.string() + "' not found or unreadable");
    CHECK(contains(empty_errors, "'" + empty.string() + "' is empty"));
    CHECK(contains(empty_errors, "model, variant, corruption, severity, error"));
}

TEST_CASE("windows line endings and byte order mark")
{
    crimp::testing::temporary_folder folder;
    const auto rows = rows_for(two_models);
    std::string errors_text = "\xEF\xBB\xBF" + errors_header + "\r\n";
    for (const auto &row : rows.errors) {
        errors_text += row + "\r\n";
    }
    const fs::path errors = folder.path() / "errors.csv";
    crimp::testing::write_bytes(errors, errors_text);

    const auto summaries = summarise_error_tables(errors, "", "base", rounding_mode::paper);

    REQUIRE(summaries.size() == 6);
    CHECK(summaries[0].model == "resnet20");
    CHECK(summaries[5].variant == "pruned");
    CHECK(summaries[5].mce == doctest::Approx(109.0));
}

TEST_CASE("undefined relative mCE prints nan")
{
    // A baseline with the same error everywhere, as an untrained network has.
    crimp::testing::temporary_folder folder;
    auto rows = rows_for({{"resnet20", "base", 0.9, 0.9, 4000}, {"resnet20", "pruned", 0.12, 0.27, 1000}});
    for (auto &row : rows.errors) {
        if (row.rfind("resnet20,base,", 0) == 0) {
            row = row.substr(0, row.rfind(',')) + ",0.9";
        }
    }
    const table_files constant(folder.path(), rows);

    const auto summaries = summarise_error_tables(constant.errors, constant.sizes, "base", rounding_mode::paper);
    const auto text = format_variant_summaries(summaries);

    REQUIRE(summaries.size() == 2);
    CHECK(summaries[0].mce == 100.0);
    CHECK(std::isnan(summaries[0].relative_mce));
    CHECK(contains(text, "\nresnet20,base,10.00,100.0,nan,1.000,"));
}
