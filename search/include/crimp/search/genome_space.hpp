#pragma once

#include <crimp/compression/genome.hpp>
#include <crimp/search/search_config.hpp>

#include <string>
#include <utility>
#include <vector>

namespace crimp::search
{

// The decision vector that pagmo evolves: the continuous genes first, then the integer genes, as
// pagmo's get_nix requires. A gene whose bounds are equal is fixed and left out, because pagmo's
// NSGA-II rejects equal bounds.
//
//   sparsity      continuous in [0, sparsity-max], rounded to 0.01
//   bits          integer in [bits-min, bits-max], with 9 standing for 32 (float) when bits-max is 32
//   clusters      integer exponent e in [0, log2 clusters-max]: 0 is no clustering, e gives 2^e clusters
//   route         integer index into the configured routes
//   full-integer  integer 0 or 1
//   epochs        integer in [1, finetune-epochs-max] when finetune is a route; ignored by ptq
class genome_space
{
public:
    explicit genome_space(const search_config &config);

    std::size_t dimension() const { return m_genes.size(); }
    std::size_t integer_genes() const;
    std::pair<std::vector<double>, std::vector<double>> bounds() const;

    // The genome of a decision vector, rounded to what compression can express: equal genomes stand for
    // one point. Values outside the bounds are clamped. Raises usage_error for a NaN gene.
    compression::genome decode(const std::vector<double> &genes) const;

    // A decision vector that decodes to the genome (the genome must lie in the space).
    std::vector<double> encode(const compression::genome &candidate) const;

    // Clamps genes into their bounds and replaces NaN genes by their lower bound; returns whether any
    // gene changed.
    bool repair(std::vector<double> &genes) const;

private:
    enum class gene { sparsity, bits, clusters, route, full_integer, epochs };
    struct gene_range {
        gene kind;
        double lower;
        double upper;
    };

    double value_of(const std::vector<double> &genes, gene kind) const;

    search_config m_config;
    std::vector<gene_range> m_genes;
    std::vector<gene_range> m_fixed;
};

// A stable text key of a genome, e.g. "s0.50-b8-k16-finetune1-fi0" or "s0.20-b32-k0-ptq-fi1"; equal genomes give equal keys.
std::string genome_key(const compression::genome &candidate);

} // namespace crimp::search
