#include <crimp/engine/rng.hpp>

namespace crimp
{

std::uint64_t splitmix64::next()
{
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t splitmix64::below(std::uint64_t bound)
{
    // Take the high 64 bits of a 128-bit product; reject the few low products that would bias it.
    const std::uint64_t threshold = (0 - bound) % bound;
    while (true) {
        const unsigned __int128 product = static_cast<unsigned __int128>(next()) * bound;
        if (static_cast<std::uint64_t>(product) >= threshold) {
            return static_cast<std::uint64_t>(product >> 64);
        }
    }
}

double splitmix64::uniform()
{
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream)
{
    splitmix64 generator(seed ^ (stream * 0xd1b54a32d192ed03ULL));
    return generator.next();
}

} // namespace crimp
