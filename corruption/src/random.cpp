#include <crimp/corruption/random.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace crimp::corruption
{

namespace
{

// Philox-4x32 multipliers and Weyl key increments (Salmon, Moraes, Dror and Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC 2011).
constexpr std::uint32_t philox_multiplier_0 = 0xD2511F53u;
constexpr std::uint32_t philox_multiplier_1 = 0xCD9E8D57u;
constexpr std::uint32_t philox_weyl_0 = 0x9E3779B9u;
constexpr std::uint32_t philox_weyl_1 = 0xBB67AE85u;
constexpr int philox_rounds = 10;

// Encrypts one counter block with Philox-4x32-10. Round r uses the key plus r times the Weyl increments.
std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter, std::array<std::uint32_t, 2> key)
{
    for (int round = 0; round < philox_rounds; ++round) {
        if (round > 0) {
            key[0] += philox_weyl_0;
            key[1] += philox_weyl_1;
        }
        const std::uint64_t product_0 = static_cast<std::uint64_t>(philox_multiplier_0) * counter[0];
        const std::uint64_t product_1 = static_cast<std::uint64_t>(philox_multiplier_1) * counter[2];
        const auto high_0 = static_cast<std::uint32_t>(product_0 >> 32);
        const auto low_0 = static_cast<std::uint32_t>(product_0);
        const auto high_1 = static_cast<std::uint32_t>(product_1 >> 32);
        const auto low_1 = static_cast<std::uint32_t>(product_1);
        counter = {high_1 ^ counter[1] ^ key[0], low_1, high_0 ^ counter[3] ^ key[1], low_0};
    }
    return counter;
}

constexpr std::uint32_t max_packed_field = 0xFFFFu;

// Computes ln k!: from the exact factorial for k < 16, and above that from the Stirling series of
// ln Γ(k + 1), whose first omitted term is below 1e-13. std::lgamma is avoided because glibc's
// version writes the global signgam, which is a data race when images are corrupted in parallel.
double log_factorial(std::int64_t k)
{
    constexpr std::int64_t table_size = 16;
    static const auto table = [] {
        std::array<double, table_size> values{};
        double factorial = 1.0;
        for (std::int64_t i = 0; i < table_size; ++i) {
            factorial *= i > 0 ? static_cast<double>(i) : 1.0;
            values[static_cast<std::size_t>(i)] = std::log(factorial);
        }
        return values;
    }();
    if (k < table_size) {
        return table[static_cast<std::size_t>(k)];
    }

    constexpr double half_log_two_pi = 0.91893853320467274178;
    const double n = static_cast<double>(k) + 1.0;
    const double inverse = 1.0 / n;
    const double inverse_squared = inverse * inverse;
    const double series =
        inverse * (1.0 / 12.0 - inverse_squared * (1.0 / 360.0 - inverse_squared * (1.0 / 1260.0 - inverse_squared / 1680.0)));
    return (n - 0.5) * std::log(n) - n + half_log_two_pi + series;
}

} // namespace

// Stream layout. The key is the seed, with its low 32 bits in word 0 and its high 32 bits in word 1.
// The four counter words are:
//   0: the block number, which starts at 0 and increments after each block of four 32-bit outputs,
//   1: (corruption << 16) | severity,
//   2: the low 32 bits of the image index,
//   3: the high 32 bits of the image index.
// Every (seed, corruption, severity, image index) therefore owns a stream of 2^32 blocks (2^34 words),
// and no two streams share a (key, counter) pair.
counter_rng::counter_rng(std::uint64_t seed, std::uint32_t corruption, std::uint32_t severity, std::uint64_t image_index)
    : m_key{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
      m_counter{0, (corruption << 16) | severity, static_cast<std::uint32_t>(image_index),
                static_cast<std::uint32_t>(image_index >> 32)}
{
    if (corruption > max_packed_field || severity > max_packed_field) {
        throw std::out_of_range("counter_rng: corruption " + std::to_string(corruption) + " and severity " +
                                std::to_string(severity) + " must both be at most 65535");
    }
}

void counter_rng::refill()
{
    if (m_exhausted) {
        throw std::length_error("counter_rng: the stream is exhausted after 2^32 blocks of 4 words");
    }
    m_block = philox4x32_10(m_counter, m_key);
    m_used = 0;
    ++m_counter[0];
    if (m_counter[0] == 0) {
        m_exhausted = true;
    }
}

std::uint32_t counter_rng::next_u32()
{
    if (m_used == static_cast<int>(m_block.size())) {
        refill();
    }
    return m_block[static_cast<std::size_t>(m_used++)];
}

// The first word drawn becomes the low half.
std::uint64_t counter_rng::next_u64()
{
    const std::uint64_t low = next_u32();
    const std::uint64_t high = next_u32();
    return (high << 32) | low;
}

double counter_rng::uniform()
{
    constexpr double two_to_minus_53 = 1.0 / 9007199254740992.0;
    return static_cast<double>(next_u64() >> 11) * two_to_minus_53;
}

double counter_rng::uniform(double low, double high)
{
    const double value = low + (high - low) * uniform();
    // Rounding can land exactly on `high` when the draw is within an ulp of 1, so step back below it.
    if (high > low && value >= high) {
        return std::nextafter(high, low);
    }
    return value;
}

// Lemire's multiply-and-reject method (2019) for ranges up to 2^32, and bit-mask rejection for wider
// ranges. Both are unbiased.
std::int64_t counter_rng::integer(std::int64_t low, std::int64_t high)
{
    if (!(low < high)) {
        throw std::invalid_argument("counter_rng::integer: invalid range [" + std::to_string(low) + ", " +
                                    std::to_string(high) + "): low must be less than high");
    }
    // Unsigned subtraction gives the true width even when high - low overflows int64.
    const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);

    std::uint64_t offset = 0;
    if (range <= std::numeric_limits<std::uint32_t>::max()) {
        const auto range32 = static_cast<std::uint32_t>(range);
        std::uint64_t product = static_cast<std::uint64_t>(next_u32()) * range32;
        auto low_bits = static_cast<std::uint32_t>(product);
        if (low_bits < range32) {
            // 2^32 mod range: products whose low half falls below it belong to the over-represented values.
            const std::uint32_t threshold = static_cast<std::uint32_t>(-range32) % range32;
            while (low_bits < threshold) {
                product = static_cast<std::uint64_t>(next_u32()) * range32;
                low_bits = static_cast<std::uint32_t>(product);
            }
        }
        offset = product >> 32;
    } else {
        std::uint64_t mask = range - 1;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        do {
            offset = next_u64() & mask;
        } while (offset >= range);
    }
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset);
}

// Marsaglia's polar method: one accepted point in the unit disc gives two independent normal draws, and
// the second is kept for the next call.
double counter_rng::normal()
{
    if (m_has_spare_normal) {
        m_has_spare_normal = false;
        return m_spare_normal;
    }
    double x = 0.0;
    double y = 0.0;
    double radius_squared = 0.0;
    do {
        x = 2.0 * uniform() - 1.0;
        y = 2.0 * uniform() - 1.0;
        radius_squared = x * x + y * y;
    } while (radius_squared >= 1.0 || radius_squared == 0.0);

    const double scale = std::sqrt(-2.0 * std::log(radius_squared) / radius_squared);
    m_spare_normal = y * scale;
    m_has_spare_normal = true;
    return x * scale;
}

double counter_rng::normal(double mean, double standard_deviation)
{
    return mean + standard_deviation * normal();
}

// Inversion by sequential search for lambda < 10, where the expected number of steps is lambda + 1, and
// Hörmann's transformed rejection with squeeze (PTRS, 1993) for lambda >= 10.
std::int64_t counter_rng::poisson(double lambda)
{
    if (!(lambda >= 0.0) || !std::isfinite(lambda)) {
        throw std::invalid_argument("counter_rng::poisson: invalid mean " + std::to_string(lambda) +
                                    ": expected a finite value >= 0");
    }
    if (lambda == 0.0) {
        return 0;
    }

    if (lambda < 10.0) {
        const double probability_of_zero = std::exp(-lambda);
        for (;;) {
            const double u = uniform();
            std::int64_t k = 0;
            double probability = probability_of_zero;
            double cumulative = probability;
            bool converged = true;
            while (u > cumulative) {
                ++k;
                probability *= lambda / static_cast<double>(k);
                const double next_cumulative = cumulative + probability;
                // The cumulative sum stopped short of u by rounding error (u within about 1e-16 of 1), so
                // draw again instead of looping forever.
                if (next_cumulative == cumulative) {
                    converged = false;
                    break;
                }
                cumulative = next_cumulative;
            }
            if (converged) {
                return k;
            }
        }
    }

    const double sqrt_lambda = std::sqrt(lambda);
    const double log_lambda = std::log(lambda);
    const double b = 0.931 + 2.53 * sqrt_lambda;
    const double a = -0.059 + 0.02483 * b;
    const double inverse_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double v_r = 0.9277 - 3.6224 / (b - 2.0);
    const double log_inverse_alpha = std::log(inverse_alpha);
    for (;;) {
        const double u = uniform() - 0.5;
        const double v = uniform();
        const double u_s = 0.5 - std::fabs(u);
        const double k = std::floor((2.0 * a / u_s + b) * u + lambda + 0.43);
        // Squeeze: this region lies entirely under the target distribution, so accept without logs.
        if (u_s >= 0.07 && v <= v_r) {
            return static_cast<std::int64_t>(k);
        }
        if (k < 0.0 || (u_s < 0.013 && v > u_s)) {
            continue;
        }
        const auto count = static_cast<std::int64_t>(k);
        const double log_acceptance = std::log(v) + log_inverse_alpha - std::log(a / (u_s * u_s) + b);
        if (log_acceptance <= -lambda + k * log_lambda - log_factorial(count)) {
            return count;
        }
    }
}

} // namespace crimp::corruption
