#pragma once

#include <crimp/corruption/corruption.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace crimp::corruption
{

// An HDF5 file of corrupted copies of one list of clean images, so that corruption runs once per
// dataset rather than once per evaluated model. Each corruption is a dataset "/<name>" of uint8 with
// shape (5, N, 32, 32, 3), severity-major, chunked by severity and deflate-compressed. The root contains
// the seed, the generator version, the image count and a digest of the clean pixels. A file made for
// other images, another seed or another generator version is rejected instead of being reused.
class corruption_cache
{
public:
    // Opens the cache file, creating it (and its folder) when absent.
    corruption_cache(std::filesystem::path file, std::vector<rgb_image> images, std::uint64_t seed);
    ~corruption_cache();
    corruption_cache(const corruption_cache &) = delete;
    corruption_cache &operator=(const corruption_cache &) = delete;

    // Whether the corruption's complete set is stored.
    bool contains(int corruption) const;

    // Returns the 5·N corrupted images (HWC, severity-major), generating and storing them on first use.
    std::vector<std::uint8_t> load_or_generate(int corruption, const corruption_resources &resources);

    const std::filesystem::path &file() const { return m_file; }

private:
    std::filesystem::path m_file;
    std::vector<rgb_image> m_images;
    std::uint64_t m_seed;
    std::int64_t m_handle = -1;
};

// FNV-1a (64-bit) digest of the clean images' pixels, which identifies the images a cache was made for.
std::uint64_t image_digest(const std::vector<rgb_image> &images);

} // namespace crimp::corruption
