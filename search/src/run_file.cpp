#include <crimp/search/run_file.hpp>

#include "genome_row.hpp"
#include "hdf5_io.hpp"

#include <crimp/engine/atomic_file.hpp>
#include <crimp/engine/error.hpp>
#include <crimp/engine/name_list.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

namespace crimp::search
{

namespace
{

constexpr std::int64_t run_file_version = 1;

std::string joined(const std::vector<std::string> &names)
{
    std::string text;
    for (const auto &name : names) {
        text += (text.empty() ? "" : ",") + name;
    }
    return text;
}

void write_evaluations(hid_t file, const run_state &state)
{
    const auto group = hdf5::create_group(file, "evaluations");
    const auto &evaluations = state.evaluations;
    const hsize_t count = evaluations.size();
    const hsize_t corruptions = state.corruption_names.size();
    std::vector<std::string> keys;
    std::vector<std::string> errors;
    std::vector<double> genomes;
    std::vector<double> objectives;
    std::vector<double> accuracy;
    std::vector<double> mce;
    std::vector<double> corruption_errors;
    std::vector<double> severity_errors;
    std::vector<std::int64_t> packed_bytes;
    std::vector<std::int64_t> ok;
    std::vector<double> compression_ratio;
    std::vector<double> deflate_ratio;
    std::vector<double> seconds;
    std::vector<std::int64_t> requested_by;
    for (const auto &record : evaluations) {
        requested_by.push_back(record.generation);
        requested_by.push_back(static_cast<std::int64_t>(record.batch_position));
        keys.push_back(record.key);
        errors.push_back(record.error);
        const auto row = genome_row(record.genome);
        genomes.insert(genomes.end(), row.begin(), row.end());
        objectives.insert(objectives.end(), record.objectives.begin(), record.objectives.end());
        accuracy.push_back(record.accuracy);
        mce.push_back(record.mce);
        // Failed evaluations have no errors; NaN keeps the table rectangular.
        auto corruption_row = record.corruption_errors;
        corruption_row.resize(corruptions, std::nan(""));
        corruption_errors.insert(corruption_errors.end(), corruption_row.begin(), corruption_row.end());
        auto severity_row = record.severity_errors;
        severity_row.resize(corruptions * 5, std::nan(""));
        severity_errors.insert(severity_errors.end(), severity_row.begin(), severity_row.end());
        packed_bytes.push_back(static_cast<std::int64_t>(record.packed_bytes));
        ok.push_back(record.ok ? 1 : 0);
        compression_ratio.push_back(record.compression_ratio);
        deflate_ratio.push_back(record.deflate_ratio);
        seconds.push_back(record.seconds);
    }
    hdf5::write_strings(group, "key", keys);
    hdf5::write_doubles(group, "genome", genomes, {count, genome_fields});
    hdf5::write_integers(group, "ok", ok, {count});
    hdf5::write_strings(group, "error", errors);
    hdf5::write_doubles(group, "objectives", objectives, {count, 3});
    hdf5::write_doubles(group, "accuracy", accuracy, {count});
    hdf5::write_doubles(group, "mce", mce, {count});
    hdf5::write_doubles(group, "corruption_errors", corruption_errors, {count, corruptions});
    hdf5::write_doubles(group, "severity_errors", severity_errors, {count, corruptions, 5});
    hdf5::write_integers(group, "packed_bytes", packed_bytes, {count});
    hdf5::write_doubles(group, "compression_ratio", compression_ratio, {count});
    hdf5::write_doubles(group, "deflate_ratio", deflate_ratio, {count});
    hdf5::write_doubles(group, "seconds", seconds, {count});
    hdf5::write_integers(group, "requested_by", requested_by, {count, 2});
}

void read_evaluations(hid_t file, run_state &state)
{
    const auto group = hdf5::open_group(file, "evaluations");
    const auto keys = hdf5::read_strings(group, "key");
    const auto errors = hdf5::read_strings(group, "error");
    const auto genomes = hdf5::read_doubles(group, "genome");
    const auto ok = hdf5::read_integers(group, "ok");
    const auto objectives = hdf5::read_doubles(group, "objectives");
    const auto accuracy = hdf5::read_doubles(group, "accuracy");
    const auto mce = hdf5::read_doubles(group, "mce");
    const auto corruption_errors = hdf5::read_doubles(group, "corruption_errors");
    const auto severity_errors = hdf5::read_doubles(group, "severity_errors");
    const auto packed_bytes = hdf5::read_integers(group, "packed_bytes");
    const auto compression_ratio = hdf5::read_doubles(group, "compression_ratio");
    const auto deflate_ratio = hdf5::read_doubles(group, "deflate_ratio");
    const auto seconds = hdf5::read_doubles(group, "seconds");
    const auto requested_by = hdf5::read_integers(group, "requested_by");
    const std::size_t corruptions = state.corruption_names.size();
    const std::size_t count = keys.size();
    if (genomes.size() != count * genome_fields || corruption_errors.size() != count * corruptions
        || severity_errors.size() != count * corruptions * 5 || requested_by.size() != count * 2
        || objectives.size() != count * 3) {
        throw std::out_of_range("evaluation datasets of different lengths");
    }
    for (std::size_t i = 0; i < count; ++i) {
        evaluation_record record;
        record.key = keys[i];
        record.error = errors.at(i);
        record.genome = genome_of(genomes.data() + i * genome_fields);
        record.ok = ok.at(i) != 0;
        record.objectives = {objectives.at(3 * i), objectives.at(3 * i + 1), objectives.at(3 * i + 2)};
        record.accuracy = accuracy.at(i);
        record.mce = mce.at(i);
        if (record.ok) {
            record.corruption_errors.assign(corruption_errors.begin() + static_cast<std::ptrdiff_t>(i * corruptions),
                                            corruption_errors.begin() + static_cast<std::ptrdiff_t>((i + 1) * corruptions));
            record.severity_errors.assign(severity_errors.begin() + static_cast<std::ptrdiff_t>(i * corruptions * 5),
                                          severity_errors.begin() + static_cast<std::ptrdiff_t>((i + 1) * corruptions * 5));
        }
        record.packed_bytes = static_cast<std::uint64_t>(packed_bytes.at(i));
        record.compression_ratio = compression_ratio.at(i);
        record.deflate_ratio = deflate_ratio.at(i);
        record.seconds = seconds.at(i);
        record.generation = static_cast<int>(requested_by.at(2 * i));
        record.batch_position = static_cast<std::size_t>(requested_by.at(2 * i + 1));
        state.evaluations.push_back(std::move(record));
    }
}

void write_population(hid_t group, const std::vector<std::vector<double>> &population,
                      const std::vector<std::array<double, 3>> &fitness, std::vector<hsize_t> leading)
{
    std::vector<double> genes;
    for (const auto &individual : population) {
        genes.insert(genes.end(), individual.begin(), individual.end());
    }
    std::vector<double> values;
    for (const auto &row : fitness) {
        values.insert(values.end(), row.begin(), row.end());
    }
    const hsize_t dimension = population.empty() ? 0 : population.front().size();
    auto genes_shape = leading;
    genes_shape.push_back(dimension);
    auto fitness_shape = leading;
    fitness_shape.push_back(3);
    hdf5::write_doubles(group, "population", genes, genes_shape);
    hdf5::write_doubles(group, "fitness", values, fitness_shape);
}

void write_generations(hid_t file, const run_state &state)
{
    const auto group = hdf5::create_group(file, "generations");
    std::vector<std::int64_t> numbers;
    std::vector<double> hypervolumes;
    std::vector<std::int64_t> evaluations;
    std::vector<std::int64_t> cache_hits;
    std::vector<double> elapsed;
    std::vector<std::vector<double>> population;
    std::vector<std::array<double, 3>> fitness;
    std::vector<std::int64_t> front_mask;
    hsize_t size = 0;
    for (const auto &generation : state.generations) {
        numbers.push_back(generation.generation);
        hypervolumes.push_back(generation.hypervolume);
        evaluations.push_back(static_cast<std::int64_t>(generation.evaluations));
        cache_hits.push_back(static_cast<std::int64_t>(generation.cache_hits));
        elapsed.push_back(generation.elapsed_seconds);
        population.insert(population.end(), generation.population.begin(), generation.population.end());
        fitness.insert(fitness.end(), generation.fitness.begin(), generation.fitness.end());
        std::vector<std::int64_t> mask(generation.population.size(), 0);
        for (const auto position : generation.front) {
            mask.at(position) = 1;
        }
        front_mask.insert(front_mask.end(), mask.begin(), mask.end());
        size = generation.population.size();
    }
    const hsize_t count = state.generations.size();
    hdf5::write_integers(group, "generation", numbers, {count});
    hdf5::write_doubles(group, "hypervolume", hypervolumes, {count});
    hdf5::write_integers(group, "evaluations", evaluations, {count});
    hdf5::write_integers(group, "cache_hits", cache_hits, {count});
    hdf5::write_doubles(group, "elapsed_seconds", elapsed, {count});
    hdf5::write_integers(group, "front_mask", front_mask, {count, size});
    write_population(group, population, fitness, {count, size});
}

std::vector<std::array<double, 3>> fitness_rows(const std::vector<double> &values)
{
    std::vector<std::array<double, 3>> rows;
    for (std::size_t i = 0; i + 2 < values.size(); i += 3) {
        rows.push_back({values[i], values[i + 1], values[i + 2]});
    }
    return rows;
}

std::vector<std::vector<double>> gene_rows(const std::vector<double> &values, std::size_t dimension)
{
    std::vector<std::vector<double>> rows;
    for (std::size_t i = 0; dimension > 0 && i + dimension <= values.size(); i += dimension) {
        rows.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i),
                          values.begin() + static_cast<std::ptrdiff_t>(i + dimension));
    }
    return rows;
}

void read_generations(hid_t file, run_state &state)
{
    const auto group = hdf5::open_group(file, "generations");
    const auto numbers = hdf5::read_integers(group, "generation");
    const auto hypervolumes = hdf5::read_doubles(group, "hypervolume");
    const auto evaluations = hdf5::read_integers(group, "evaluations");
    const auto cache_hits = hdf5::read_integers(group, "cache_hits");
    const auto elapsed = hdf5::read_doubles(group, "elapsed_seconds");
    std::vector<hsize_t> shape;
    const auto front_mask = hdf5::read_integers(group, "front_mask", &shape);
    const std::size_t size = shape.size() == 2 ? shape[1] : 0;
    std::vector<hsize_t> gene_shape;
    const auto genes = hdf5::read_doubles(group, "population", &gene_shape);
    const std::size_t dimension = gene_shape.size() == 3 ? gene_shape[2] : 0;
    const auto population = gene_rows(genes, dimension);
    const auto fitness = fitness_rows(hdf5::read_doubles(group, "fitness"));
    for (std::size_t g = 0; g < numbers.size(); ++g) {
        generation_record record;
        record.generation = static_cast<int>(numbers[g]);
        record.hypervolume = hypervolumes.at(g);
        record.evaluations = static_cast<std::size_t>(evaluations.at(g));
        record.cache_hits = static_cast<std::size_t>(cache_hits.at(g));
        record.elapsed_seconds = elapsed.at(g);
        for (std::size_t i = 0; i < size; ++i) {
            record.population.push_back(population.at(g * size + i));
            record.fitness.push_back(fitness.at(g * size + i));
            if (front_mask.at(g * size + i) != 0) {
                record.front.push_back(i);
            }
        }
        state.generations.push_back(std::move(record));
    }
}

void write_checkpoint(hid_t file, const search_checkpoint &checkpoint)
{
    const auto group = hdf5::create_group(file, "checkpoint");
    hdf5::write_attribute(group, "generation", static_cast<std::int64_t>(checkpoint.generation));
    hdf5::write_attribute(group, "algorithm", checkpoint.algorithm);
    write_population(group, checkpoint.population, checkpoint.fitness, {checkpoint.population.size()});
}

search_checkpoint read_checkpoint(hid_t file)
{
    const auto group = hdf5::open_group(file, "checkpoint");
    search_checkpoint checkpoint;
    checkpoint.generation = static_cast<int>(hdf5::read_integer_attribute(group, "generation"));
    checkpoint.algorithm = hdf5::read_string_attribute(group, "algorithm");
    std::vector<hsize_t> shape;
    const auto genes = hdf5::read_doubles(group, "population", &shape);
    checkpoint.population = gene_rows(genes, shape.size() == 2 ? shape[1] : 0);
    checkpoint.fitness = fitness_rows(hdf5::read_doubles(group, "fitness"));
    return checkpoint;
}

void write_test_front(hid_t file, const std::vector<test_record> &records)
{
    const auto group = hdf5::create_group(file, "test_front");
    std::vector<std::string> keys;
    std::vector<double> accuracy;
    std::vector<double> mce;
    for (const auto &record : records) {
        keys.push_back(record.key);
        accuracy.push_back(record.accuracy);
        mce.push_back(record.mce);
    }
    hdf5::write_strings(group, "key", keys);
    hdf5::write_doubles(group, "accuracy", accuracy, {records.size()});
    hdf5::write_doubles(group, "mce", mce, {records.size()});
}

std::vector<test_record> read_test_front(hid_t file)
{
    const auto group = hdf5::open_group(file, "test_front");
    const auto keys = hdf5::read_strings(group, "key");
    const auto accuracy = hdf5::read_doubles(group, "accuracy");
    const auto mce = hdf5::read_doubles(group, "mce");
    std::vector<test_record> records;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        records.push_back({keys[i], accuracy.at(i), mce.at(i)});
    }
    return records;
}

} // namespace

void write_run_file(const std::filesystem::path &file, const run_state &state)
{
    auto partial = file;
    partial += ".partial";
    {
        hdf5::handle handle(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                            "create run file '" + partial.string() + "'");
        hdf5::write_attribute(handle, "format", std::string("crimp-run"));
        hdf5::write_attribute(handle, "version", run_file_version);
        hdf5::write_attribute(handle, "crimp_version", state.crimp_version);
        hdf5::write_attribute(handle, "config", state.config_json);
        hdf5::write_attribute(handle, "corruptions", joined(state.corruption_names));
        hdf5::write_attribute(handle, "reference_point",
                              std::vector<double>(state.reference_point.begin(), state.reference_point.end()));
        hdf5::write_attribute(handle, "elapsed_seconds", std::vector<double>{state.elapsed_seconds});
        hdf5::write_attribute(handle, "evaluation_seconds", std::vector<double>{state.evaluation_seconds});
        hdf5::write_attribute(handle, "cache_hits", static_cast<std::int64_t>(state.cache_hits));
        hdf5::write_attribute(handle, "baseline_accuracy", std::vector<double>{state.baseline_accuracy});
        write_evaluations(handle, state);
        write_generations(handle, state);
        if (state.checkpoint) {
            write_checkpoint(handle, *state.checkpoint);
        }
        write_test_front(handle, state.test_front);
        try {
            handle.close("close run file '" + partial.string() + "'");
        } catch (const input_error &) {
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
            throw;
        }
    }
    flush_to_disk(partial);
    std::error_code status;
    std::filesystem::rename(partial, file, status);
    if (status) {
        throw input_error("failed to write run file '" + file.string() + "': " + status.message());
    }
}

run_state read_run_file(const std::filesystem::path &file)
{
    if (!std::filesystem::is_regular_file(file)) {
        throw input_error("run file '" + file.string() + "' not found: start a run with `crimp search`");
    }
    // HDF5 prints its own error stack on failures; the exceptions below carry the reason instead.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    try {
        hdf5::handle handle(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                            "open run file '" + file.string() + "'");
        run_state state;
        if (hdf5::read_string_attribute(handle, "format") != "crimp-run") {
            throw input_error("invalid run file '" + file.string() + "': it was not written by `crimp search`");
        }
        const auto version = hdf5::read_integer_attribute(handle, "version");
        if (version != run_file_version) {
            throw input_error(fmt::format("invalid run file '{}': format version {} is not the version {} that this "
                                          "crimp reads",
                                          file.string(), version, run_file_version));
        }
        state.crimp_version = hdf5::read_string_attribute(handle, "crimp_version");
        state.config_json = hdf5::read_string_attribute(handle, "config");
        state.corruption_names = split_name_list(hdf5::read_string_attribute(handle, "corruptions"));
        const auto reference = hdf5::read_double_attribute(handle, "reference_point");
        if (reference.size() == 3) {
            state.reference_point = {reference[0], reference[1], reference[2]};
        }
        state.elapsed_seconds = hdf5::read_double_attribute(handle, "elapsed_seconds").at(0);
        state.evaluation_seconds = hdf5::read_double_attribute(handle, "evaluation_seconds").at(0);
        state.cache_hits = static_cast<std::size_t>(hdf5::read_integer_attribute(handle, "cache_hits"));
        if (H5Aexists(handle, "baseline_accuracy") > 0) {
            state.baseline_accuracy = hdf5::read_double_attribute(handle, "baseline_accuracy").at(0);
        }
        read_evaluations(handle, state);
        read_generations(handle, state);
        if (hdf5::exists(handle, "checkpoint")) {
            state.checkpoint = read_checkpoint(handle);
        }
        state.test_front = read_test_front(handle);
        return state;
    } catch (const std::out_of_range &) {
        throw input_error("invalid run file '" + file.string() + "': its datasets have inconsistent lengths");
    } catch (const input_error &error) {
        throw input_error(std::string(error.what()) + " (run file '" + file.string() + "')");
    }
}

} // namespace crimp::search
