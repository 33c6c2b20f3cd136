#pragma once

#include <string>

namespace crimp::compression
{

// Route of compression to its final weights: one shot with no training, or fine-tuning that keeps the
// pruning masks and cluster assignments while simulating the weight quantization (the PQAT, CQAT and
// PCQAT family of TensorFlow Model Optimization's collaborative optimisation).
enum class route_kind { ptq, finetune };

// Parses "ptq" or "finetune"; raises usage_error naming the value otherwise.
route_kind parse_route(const std::string &name);

std::string to_string(route_kind route);

// One point of the compression space: what the search evolves and what a packed file records.
struct genome {
    // Fraction of prunable weights set to zero, in [0, 0.99].
    double sparsity = 0.0;
    // Weight bits: 2 to 8, or 32 to keep float weights.
    int bits = 32;
    // Shared weight values per layer: 0 for no clustering, else 2 to 256.
    int clusters = 0;
    route_kind route = route_kind::ptq;
    // Quantize activations to 8 bits as well (calibrated on training images), and weights to at most 8
    // bits: a full-integer model.
    bool full_integer = false;
    // Fine-tuning epochs of the finetune route; ignored by ptq.
    int finetune_epochs = 0;

    bool operator==(const genome &other) const;
};

// Raises usage_error naming the first value outside its range.
void validate(const genome &candidate);

// Weight bits of the deployed model: full-integer models store float layers as 8-bit integers.
int deployed_weight_bits(const genome &candidate);

// Short description such as "sparsity 0.5, 16 clusters, 8-bit, finetune 2 epochs, full-integer".
std::string describe(const genome &candidate);

// The 16 techniques of arXiv 2512.24971 as genomes. Odd numbers are float models, and even numbers add
// full-integer 8-bit post-training quantization. The pairs are: 1/2 original, 3/4 pruning 50 %, 5/6 clustering with
// 16 clusters, 7/8 pruning then sparsity-preserving clustering, 9/10 quantization-aware training, 11/12
// cluster-preserving QAT, 13/14 sparsity-preserving QAT, 15/16 sparsity- and cluster-preserving QAT.
// Every technique but the original fine-tunes for `finetune_epochs`. Raises usage_error outside 1..16.
genome technique_genome(int technique, int finetune_epochs);

// The study's name of a technique, e.g. "PCQAT + full-integer PTQ".
std::string technique_name(int technique);

constexpr int technique_count = 16;

} // namespace crimp::compression
