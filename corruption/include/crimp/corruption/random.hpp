#pragma once

#include <array>
#include <cstdint>

namespace crimp::corruption
{

// A counter-based random generator (Philox-4x32-10, Salmon et al., SC 2011). Every image gets its own
// stream keyed by (seed, corruption, severity, image index), so corrupted images do not depend on the
// number of threads or the order in which images are processed. The uniform, normal and Poisson draws
// are implemented here, because the standard library's distributions differ between implementations.
class counter_rng
{
public:
    // Raises std::out_of_range when corruption or severity exceeds 65535, because both share one
    // 32-bit counter word.
    counter_rng(std::uint64_t seed, std::uint32_t corruption, std::uint32_t severity, std::uint64_t image_index);

    // 32 and 64 uniformly distributed random bits.
    std::uint32_t next_u32();
    std::uint64_t next_u64();

    // Uniform double in [0, 1) with 53 random bits.
    double uniform();
    // Uniform double in [low, high).
    double uniform(double low, double high);
    // Uniform integer in [low, high), as numpy's randint(low, high), without modulo bias; raises
    // std::invalid_argument unless low < high.
    std::int64_t integer(std::int64_t low, std::int64_t high);
    // Standard normal draw.
    double normal();
    double normal(double mean, double standard_deviation);
    // Poisson draw with mean lambda >= 0 (exact, not an approximation); raises std::invalid_argument for
    // a negative, infinite or NaN lambda.
    std::int64_t poisson(double lambda);

private:
    void refill();

    std::array<std::uint32_t, 2> m_key;
    std::array<std::uint32_t, 4> m_counter;
    std::array<std::uint32_t, 4> m_block{};
    int m_used = 4;
    // Set once the 32-bit block counter has wrapped, so that no block is ever returned twice.
    bool m_exhausted = false;
    bool m_has_spare_normal = false;
    double m_spare_normal = 0.0;
};

} // namespace crimp::corruption
