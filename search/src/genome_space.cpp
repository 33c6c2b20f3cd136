#include <crimp/search/genome_space.hpp>

#include <crimp/engine/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace crimp::search
{

using compression::route_kind;

namespace
{

constexpr double float_bits_gene = 9.0;

int log2_of(int value)
{
    int exponent = 0;
    while ((1 << (exponent + 1)) <= value) {
        ++exponent;
    }
    return exponent;
}

bool has_finetune(const search_config &config)
{
    return std::find(config.routes.begin(), config.routes.end(), route_kind::finetune) != config.routes.end();
}

} // namespace

genome_space::genome_space(const search_config &config) : m_config(config)
{
    const double bits_upper = config.bits_max == 32 ? float_bits_gene : config.bits_max;
    const double clusters_upper = config.clusters_max == 0 ? 0.0 : log2_of(config.clusters_max);
    const double epochs_upper = has_finetune(config) ? config.finetune_epochs_max : 1.0;
    // Continuous genes first, then integer genes.
    const gene_range ranges[] = {{gene::sparsity, 0.0, config.sparsity_max},
                                 {gene::bits, static_cast<double>(config.bits_min), bits_upper},
                                 {gene::clusters, 0.0, clusters_upper},
                                 {gene::route, 0.0, static_cast<double>(config.routes.size() - 1)},
                                 {gene::full_integer, 0.0, 1.0},
                                 {gene::epochs, 1.0, epochs_upper}};
    for (const auto &range : ranges) {
        (range.lower < range.upper ? m_genes : m_fixed).push_back(range);
    }
}

std::size_t genome_space::integer_genes() const
{
    return static_cast<std::size_t>(std::count_if(m_genes.begin(), m_genes.end(),
                                                  [](const gene_range &range) { return range.kind != gene::sparsity; }));
}

std::pair<std::vector<double>, std::vector<double>> genome_space::bounds() const
{
    std::vector<double> lower;
    std::vector<double> upper;
    for (const auto &range : m_genes) {
        lower.push_back(range.lower);
        upper.push_back(range.upper);
    }
    return {lower, upper};
}

double genome_space::value_of(const std::vector<double> &genes, gene kind) const
{
    for (std::size_t i = 0; i < m_genes.size(); ++i) {
        if (m_genes[i].kind == kind) {
            if (std::isnan(genes.at(i))) {
                throw usage_error(fmt::format("invalid decision vector: gene {} is NaN", i));
            }
            const double clamped = std::clamp(genes[i], m_genes[i].lower, m_genes[i].upper);
            return kind == gene::sparsity ? clamped : std::round(clamped);
        }
    }
    for (const auto &range : m_fixed) {
        if (range.kind == kind) {
            return range.lower;
        }
    }
    return 0.0;
}

compression::genome genome_space::decode(const std::vector<double> &genes) const
{
    if (genes.size() != m_genes.size()) {
        throw usage_error(fmt::format("invalid decision vector of {} genes: the search space has {}", genes.size(),
                                      m_genes.size()));
    }
    compression::genome result;
    result.sparsity = std::round(value_of(genes, gene::sparsity) * 100.0) / 100.0;
    const auto bits = static_cast<int>(value_of(genes, gene::bits));
    result.bits = bits == static_cast<int>(float_bits_gene) ? 32 : bits;
    const auto exponent = static_cast<int>(value_of(genes, gene::clusters));
    result.clusters = exponent == 0 ? 0 : 1 << exponent;
    result.route = m_config.routes.at(static_cast<std::size_t>(value_of(genes, gene::route)));
    result.full_integer = value_of(genes, gene::full_integer) != 0.0;
    result.finetune_epochs = result.route == route_kind::finetune ? static_cast<int>(value_of(genes, gene::epochs)) : 0;
    // Without fine-tuning, a full-integer model stores float weights as 8-bit codes, the same model as 8 bits.
    if (result.full_integer && result.route == route_kind::ptq && result.bits == 32) {
        result.bits = 8;
    }
    return result;
}

std::vector<double> genome_space::encode(const compression::genome &candidate) const
{
    std::vector<double> genes;
    for (const auto &range : m_genes) {
        switch (range.kind) {
        case gene::sparsity:
            genes.push_back(candidate.sparsity);
            break;
        case gene::bits:
            genes.push_back(candidate.bits == 32 ? float_bits_gene : candidate.bits);
            break;
        case gene::clusters:
            genes.push_back(candidate.clusters == 0 ? 0.0 : log2_of(candidate.clusters));
            break;
        case gene::route: {
            const auto position = std::find(m_config.routes.begin(), m_config.routes.end(), candidate.route);
            genes.push_back(static_cast<double>(position - m_config.routes.begin()));
            break;
        }
        case gene::full_integer:
            genes.push_back(candidate.full_integer ? 1.0 : 0.0);
            break;
        case gene::epochs:
            genes.push_back(std::max(1, candidate.finetune_epochs));
            break;
        }
    }
    return genes;
}

bool genome_space::repair(std::vector<double> &genes) const
{
    bool changed = genes.size() != m_genes.size();
    genes.resize(m_genes.size(), 0.0);
    for (std::size_t i = 0; i < m_genes.size(); ++i) {
        const double repaired = std::isnan(genes[i]) ? m_genes[i].lower
                                                     : std::clamp(genes[i], m_genes[i].lower, m_genes[i].upper);
        changed = changed || repaired != genes[i];
        genes[i] = repaired;
    }
    return changed;
}

std::string genome_key(const compression::genome &candidate)
{
    const std::string route = candidate.route == route_kind::ptq ? "ptq"
                                                                 : fmt::format("finetune{}", candidate.finetune_epochs);
    return fmt::format("s{:.2f}-b{}-k{}-{}-fi{}", candidate.sparsity, candidate.bits, candidate.clusters, route,
                       candidate.full_integer ? 1 : 0);
}

} // namespace crimp::search
