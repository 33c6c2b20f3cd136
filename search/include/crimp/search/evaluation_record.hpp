#pragma once

#include <crimp/compression/genome.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace crimp::search
{

// The outcome of scoring one genome, as stored in the run file.
struct evaluation_record {
    std::string key;
    compression::genome genome;
    bool ok = false;
    // The exception message of a failed evaluation.
    std::string error;
    // Validation accuracy and mCE (baseline = 100) on the corrupted validation sample.
    double accuracy = 0.0;
    double mce = 0.0;
    // CE per corruption (percent, baseline = 100) and error per (corruption, severity), corruption-major.
    std::vector<double> corruption_errors;
    std::vector<double> severity_errors;
    std::uint64_t packed_bytes = 0;
    double compression_ratio = 0.0;
    double deflate_ratio = 0.0;
    double seconds = 0.0;
    // The generation that first requested the genome and its position in that generation's batch: the
    // run file lists evaluations in this order, whatever the worker count or interruptions.
    int generation = 0;
    std::size_t batch_position = 0;
    // What pagmo minimises: (1 − accuracy, mCE, 1 / compression ratio), penalised when infeasible or failed.
    std::array<double, 3> objectives{};
};

} // namespace crimp::search
