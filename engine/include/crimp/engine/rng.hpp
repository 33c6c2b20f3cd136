#pragma once

#include <cstdint>
#include <vector>

namespace crimp
{

// SplitMix64 (Steele, Lea and Flood, 2014): a small generator whose output sequence is fixed by its
// definition, so seeded draws are identical on every platform and standard library. The standard
// library's distributions are not, which is why the bounded draw and the shuffle live here.
class splitmix64
{
public:
    explicit splitmix64(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next();

    // Uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-reject method).
    std::uint64_t below(std::uint64_t bound);

    // Uniform double in [0, 1) with 53 random bits.
    double uniform();

private:
    std::uint64_t m_state;
};

// Derives an independent seed from a base seed and a stream number, e.g. one stream per epoch.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

// Fisher-Yates shuffle driven by splitmix64.
template <typename T>
void shuffle(std::vector<T> &values, splitmix64 &generator)
{
    for (std::size_t i = values.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(generator.below(i));
        std::swap(values[i - 1], values[j]);
    }
}

} // namespace crimp
