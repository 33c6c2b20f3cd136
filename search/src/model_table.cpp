#include <crimp/search/model_table.hpp>

#include <crimp/engine/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace crimp::search
{

namespace
{

// The fields of a CSV line without quoting, empty fields included.
std::vector<std::string> split_fields(const std::string &line)
{
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (auto comma = line.find(','); comma != std::string::npos; comma = line.find(',', start)) {
        fields.push_back(line.substr(start, comma - start));
        start = comma + 1;
    }
    fields.push_back(line.substr(start));
    return fields;
}

} // namespace

std::string model_table_header()
{
    return "name,key,sparsity,bits,clusters,route,full_integer,finetune_epochs,accuracy,mce,compression_ratio,"
           "deflate_ratio,packed_bytes,test_accuracy,test_mce\n";
}

std::string model_table_row(const std::string &name, const evaluation_record &record, const test_record *test)
{
    const auto &genome = record.genome;
    const std::string test_columns = test == nullptr ? "," : fmt::format("{:.6f},{:.6f}", test->accuracy, test->mce);
    return fmt::format("{},{},{:.2f},{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{},{}\n", name, record.key,
                       genome.sparsity, genome.bits, genome.clusters, compression::to_string(genome.route),
                       genome.full_integer ? 1 : 0, genome.finetune_epochs, record.accuracy, record.mce,
                       record.compression_ratio, record.deflate_ratio, record.packed_bytes, test_columns);
}

std::vector<reference_model> read_model_table(const std::filesystem::path &file)
{
    std::ifstream stream(file);
    if (!stream) {
        throw input_error("model table '" + file.string() + "' not found: write one with `crimp techniques` or "
                          "`crimp front --csv`");
    }
    std::string line;
    std::getline(stream, line);
    const auto header = split_fields(line);
    const auto column = [&](const std::string &name) {
        const auto found = std::find(header.begin(), header.end(), name);
        if (found == header.end()) {
            throw input_error("model table '" + file.string() + "' has no column '" + name + "'");
        }
        return static_cast<std::size_t>(found - header.begin());
    };
    const std::size_t name_column = column("name");
    const std::size_t accuracy_column = column("accuracy");
    const std::size_t mce_column = column("mce");
    const std::size_t ratio_column = column("compression_ratio");

    std::vector<reference_model> models;
    for (int row = 2; std::getline(stream, line); ++row) {
        if (line.empty()) {
            continue;
        }
        const auto fields = split_fields(line);
        try {
            const double accuracy = std::stod(fields.at(accuracy_column));
            const double mce = std::stod(fields.at(mce_column));
            const double ratio = std::stod(fields.at(ratio_column));
            models.push_back({fields.at(name_column), {1.0 - accuracy, mce, 1.0 / ratio}});
        } catch (const std::exception &) {
            throw input_error(fmt::format("model table '{}': row {} has a missing or malformed accuracy, mce or "
                                          "compression_ratio",
                                          file.string(), row));
        }
    }
    return models;
}

bool dominates(const std::array<double, 3> &a, const std::array<double, 3> &b)
{
    bool better = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] > b[i]) {
            return false;
        }
        better = better || a[i] < b[i];
    }
    return better;
}

std::vector<std::string> dominating_keys(const run_state &state, const std::vector<std::size_t> &front,
                                         const reference_model &reference)
{
    std::vector<std::string> keys;
    for (const auto position : front) {
        if (dominates(state.evaluations[position].objectives, reference.objectives)) {
            keys.push_back(state.evaluations[position].key);
        }
    }
    return keys;
}

} // namespace crimp::search
