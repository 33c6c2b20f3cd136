#include "mpi_protocol.hpp"

#include "genome_row.hpp"

#include <mpi.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <limits>
#include <stdexcept>
#include <thread>

namespace crimp::search::mpi_protocol
{

namespace
{

using json = nlohmann::json;

std::vector<std::uint8_t> to_bytes(const json &document)
{
    return json::to_cbor(document);
}

// Parses a message body and reads it with `read`; a body that is no CBOR, or lacks a field, is malformed.
template <typename Read>
auto decode_body(const std::vector<std::uint8_t> &bytes, Read read)
{
    try {
        return read(json::from_cbor(bytes));
    } catch (const json::exception &error) {
        throw std::runtime_error(std::string("malformed MPI message: ") + error.what());
    }
}

json genome_json(const compression::genome &genome)
{
    return genome_row(genome);
}

compression::genome genome_from(const json &row)
{
    const auto values = row.get<std::vector<double>>();
    if (values.size() != genome_fields) {
        throw std::runtime_error("malformed MPI message: a genome needs " + std::to_string(genome_fields) + " numbers");
    }
    return genome_of(values.data());
}

} // namespace

void send(int destination, tag kind, const std::vector<std::uint8_t> &body)
{
    if (body.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw std::runtime_error("an MPI message of " + std::to_string(body.size())
                                 + " bytes exceeds the 2 GiB that one MPI_Send carries");
    }

    // A large body waits for the receiver. Polling with pauses, unlike a blocking MPI_Send, which spins,
    // leaves the cores to the evaluation threads meanwhile.
    MPI_Request request;
    MPI_Isend(body.data(), static_cast<int>(body.size()), MPI_BYTE, destination, static_cast<int>(kind), MPI_COMM_WORLD,
              &request);
    for (;;) {
        int done = 0;
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (done != 0) {
            return;
        }
        std::this_thread::sleep_for(poll_interval);
    }
}

std::optional<message> poll(int source)
{
    int waiting = 0;
    MPI_Status status;
    MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
    if (waiting == 0) {
        return std::nullopt;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    message received;
    received.source = status.MPI_SOURCE;
    received.kind = static_cast<tag>(status.MPI_TAG);
    received.body.resize(static_cast<std::size_t>(count));
    MPI_Recv(received.body.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return received;
}

message wait(int source)
{
    for (;;) {
        if (auto received = poll(source)) {
            return std::move(*received);
        }
        std::this_thread::sleep_for(poll_interval);
    }
}

std::vector<std::uint8_t> encode(const task_body &body)
{
    return to_bytes({{"id", body.id}, {"genome", genome_json(body.genome)}});
}

std::vector<std::uint8_t> encode(const result_body &body)
{
    const auto &record = body.record;
    return to_bytes({{"id", body.id},
                     {"key", record.key},
                     {"genome", genome_json(record.genome)},
                     {"ok", record.ok},
                     {"error", record.error},
                     {"accuracy", record.accuracy},
                     {"mce", record.mce},
                     {"corruption_errors", record.corruption_errors},
                     {"severity_errors", record.severity_errors},
                     {"packed_bytes", record.packed_bytes},
                     {"compression_ratio", record.compression_ratio},
                     {"deflate_ratio", record.deflate_ratio},
                     {"seconds", record.seconds},
                     {"objectives", record.objectives},
                     {"packed", json::binary(body.packed)}});
}

std::vector<std::uint8_t> encode(const ready_body &body)
{
    return to_bytes({{"host", body.host}, {"process_id", body.process_id}, {"fingerprint", body.fingerprint}});
}

std::vector<std::uint8_t> encode_text(const std::string &text)
{
    return to_bytes({{"text", text}});
}

task_body decode_task(const std::vector<std::uint8_t> &bytes)
{
    return decode_body(bytes, [](const json &document) {
        return task_body{document.at("id").get<std::uint64_t>(), genome_from(document.at("genome"))};
    });
}

result_body decode_result(const std::vector<std::uint8_t> &bytes)
{
    return decode_body(bytes, [](const json &document) {
        result_body body;
        body.id = document.at("id").get<std::uint64_t>();
        auto &record = body.record;
        record.key = document.at("key").get<std::string>();
        record.genome = genome_from(document.at("genome"));
        record.ok = document.at("ok").get<bool>();
        record.error = document.at("error").get<std::string>();
        record.accuracy = document.at("accuracy").get<double>();
        record.mce = document.at("mce").get<double>();
        record.corruption_errors = document.at("corruption_errors").get<std::vector<double>>();
        record.severity_errors = document.at("severity_errors").get<std::vector<double>>();
        record.packed_bytes = document.at("packed_bytes").get<std::uint64_t>();
        record.compression_ratio = document.at("compression_ratio").get<double>();
        record.deflate_ratio = document.at("deflate_ratio").get<double>();
        record.seconds = document.at("seconds").get<double>();
        record.objectives = document.at("objectives").get<std::array<double, 3>>();
        body.packed = document.at("packed").get_binary();
        return body;
    });
}

ready_body decode_ready(const std::vector<std::uint8_t> &bytes)
{
    return decode_body(bytes, [](const json &document) {
        return ready_body{document.at("host").get<std::string>(), document.at("process_id").get<long>(),
                          document.at("fingerprint").get<std::vector<double>>()};
    });
}

std::string decode_text(const std::vector<std::uint8_t> &bytes)
{
    return decode_body(bytes, [](const json &document) { return document.at("text").get<std::string>(); });
}

std::vector<double> scoring_fingerprint(const genome_evaluator &evaluator)
{
    const auto &errors = evaluator.baseline_errors();
    std::vector<double> fingerprint = {errors.clean_error};
    for (const auto &[corruption, error] : errors.corruption_errors) {
        fingerprint.push_back(error);
    }
    return fingerprint;
}

} // namespace crimp::search::mpi_protocol
