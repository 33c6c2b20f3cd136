#include <crimp/compression/genome.hpp>

#include <crimp/engine/error.hpp>

#include <fmt/format.h>

#include <cmath>

namespace crimp::compression
{

route_kind parse_route(const std::string &name)
{
    if (name == "ptq") {
        return route_kind::ptq;
    }
    if (name == "finetune") {
        return route_kind::finetune;
    }
    throw usage_error("invalid route '" + name + "': expected ptq or finetune");
}

std::string to_string(route_kind route)
{
    return route == route_kind::ptq ? "ptq" : "finetune";
}

bool genome::operator==(const genome &other) const
{
    return sparsity == other.sparsity && bits == other.bits && clusters == other.clusters && route == other.route
           && full_integer == other.full_integer && finetune_epochs == other.finetune_epochs;
}

void validate(const genome &candidate)
{
    if (!(candidate.sparsity >= 0.0 && candidate.sparsity <= 0.99)) {
        throw usage_error(fmt::format("invalid sparsity {}: expected a fraction in [0, 0.99]", candidate.sparsity));
    }
    if ((candidate.bits < 2 || candidate.bits > 8) && candidate.bits != 32) {
        throw usage_error(fmt::format("invalid bits {}: expected 2 to 8, or 32 for float weights", candidate.bits));
    }
    if (candidate.clusters != 0 && (candidate.clusters < 2 || candidate.clusters > 256)) {
        throw usage_error(fmt::format("invalid clusters {}: expected 0 (no clustering) or 2 to 256", candidate.clusters));
    }
    if (candidate.finetune_epochs < 0) {
        throw usage_error(fmt::format("invalid fine-tuning epochs {}: expected 0 or more", candidate.finetune_epochs));
    }
}

int deployed_weight_bits(const genome &candidate)
{
    return candidate.full_integer && candidate.bits == 32 ? 8 : candidate.bits;
}

std::string describe(const genome &candidate)
{
    std::string text = fmt::format("sparsity {}", candidate.sparsity);
    if (candidate.clusters > 0) {
        text += fmt::format(", {} clusters", candidate.clusters);
    }
    text += candidate.bits == 32 ? ", float weights" : fmt::format(", {}-bit weights", candidate.bits);
    text += candidate.route == route_kind::ptq ? ", ptq" : fmt::format(", finetune {} epochs", candidate.finetune_epochs);
    if (candidate.full_integer) {
        text += ", full-integer";
    }
    return text;
}

namespace
{

struct technique_row {
    const char *name;
    double sparsity;
    int clusters;
    int bits;
};

// The float member of each pair of techniques; the even member adds full-integer quantization.
constexpr technique_row technique_rows[] = {
    {"original", 0.0, 0, 32},
    {"pruning", 0.5, 0, 32},
    {"clustering", 0.0, 16, 32},
    {"sparsity-preserving clustering", 0.5, 16, 32},
    {"QAT", 0.0, 0, 8},
    {"CQAT", 0.0, 16, 8},
    {"PQAT", 0.5, 0, 8},
    {"PCQAT", 0.5, 16, 8},
};

const technique_row &row_of(int technique)
{
    if (technique < 1 || technique > technique_count) {
        throw usage_error(fmt::format("invalid technique {}: expected 1 to {}", technique, technique_count));
    }
    return technique_rows[(technique - 1) / 2];
}

} // namespace

genome technique_genome(int technique, int finetune_epochs)
{
    const auto &row = row_of(technique);
    genome result;
    result.sparsity = row.sparsity;
    result.clusters = row.clusters;
    result.bits = row.bits;
    result.full_integer = technique % 2 == 0;
    if (technique > 2) {
        result.route = route_kind::finetune;
        result.finetune_epochs = finetune_epochs;
    }
    validate(result);
    return result;
}

std::string technique_name(int technique)
{
    const std::string name = row_of(technique).name;
    return technique % 2 == 0 ? name + " + full-integer PTQ" : name;
}

} // namespace crimp::compression
