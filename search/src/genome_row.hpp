#pragma once

#include <crimp/compression/genome.hpp>

#include <vector>

namespace crimp::search
{

// A genome as a row of numbers: how the run file stores it and how it travels to MPI worker ranks.
constexpr std::size_t genome_fields = 6;

inline std::vector<double> genome_row(const compression::genome &genome)
{
    return {genome.sparsity,
            static_cast<double>(genome.bits),
            static_cast<double>(genome.clusters),
            genome.route == compression::route_kind::ptq ? 0.0 : 1.0,
            genome.full_integer ? 1.0 : 0.0,
            static_cast<double>(genome.finetune_epochs)};
}

// The genome of a row of genome_fields numbers.
inline compression::genome genome_of(const double *row)
{
    compression::genome genome;
    genome.sparsity = row[0];
    genome.bits = static_cast<int>(row[1]);
    genome.clusters = static_cast<int>(row[2]);
    genome.route = row[3] == 0.0 ? compression::route_kind::ptq : compression::route_kind::finetune;
    genome.full_integer = row[4] != 0.0;
    genome.finetune_epochs = static_cast<int>(row[5]);
    return genome;
}

} // namespace crimp::search
