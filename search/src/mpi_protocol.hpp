#pragma once

#include <crimp/search/evaluation_record.hpp>
#include <crimp/search/genome_evaluator.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The messages between rank 0 (the coordinator) and the worker ranks of a distributed search. Bodies are
// CBOR documents (binary JSON), so doubles keep their exact values (any NaN arrives as the quiet NaN) and
// packed models travel as raw bytes.
//
//   rank 0 → worker: setup (the run configuration), task (an id and a genome), stop.
//   worker → rank 0: ready (host, process id, scoring fingerprint), result (an id, the evaluation record
//                    and the packed model), failure (a message), stopped (the last message of a worker).
namespace crimp::search::mpi_protocol
{

enum class tag : int { setup = 1, ready, task, result, failure, stop, stopped };

inline constexpr int coordinator = 0;

// Short enough to add no visible latency to evaluations that take seconds, long enough that a waiting
// rank uses a negligible share of a core.
inline constexpr std::chrono::milliseconds poll_interval{2};

struct message {
    int source = 0;
    tag kind = tag::stop;
    std::vector<std::uint8_t> body;
};

// Sends a message. A body above the eager limit waits, polling with pauses, until the receiver takes it.
void send(int destination, tag kind, const std::vector<std::uint8_t> &body = {});

// The next message from `source` (any rank when negative), or none waiting.
std::optional<message> poll(int source);

// Waits for the next message from `source`, sleeping between polls so that a waiting rank leaves its
// cores to the ranks that compute (blocking MPI calls spin).
message wait(int source);

struct task_body {
    std::uint64_t id = 0;
    compression::genome genome;
};

struct result_body {
    std::uint64_t id = 0;
    // Without its generation and batch position: rank 0 takes them from the task.
    evaluation_record record;
    std::vector<std::uint8_t> packed;
};

struct ready_body {
    std::string host;
    long process_id = 0;
    // The baseline's errors on the worker's scoring images: equal on every rank when they built the
    // same images (same data, same corruption code and numerics).
    std::vector<double> fingerprint;
};

std::vector<std::uint8_t> encode(const task_body &body);
std::vector<std::uint8_t> encode(const result_body &body);
std::vector<std::uint8_t> encode(const ready_body &body);
std::vector<std::uint8_t> encode_text(const std::string &text);

task_body decode_task(const std::vector<std::uint8_t> &bytes);
result_body decode_result(const std::vector<std::uint8_t> &bytes);
ready_body decode_ready(const std::vector<std::uint8_t> &bytes);
std::string decode_text(const std::vector<std::uint8_t> &bytes);

// The clean error and every (corruption, severity) error of the baseline on an evaluator's scoring set.
std::vector<double> scoring_fingerprint(const genome_evaluator &evaluator);

} // namespace crimp::search::mpi_protocol
