#include <crimp/corruption/corruption_cache.hpp>

#include <crimp/corruption/corrupted_sets.hpp>
#include <crimp/engine/error.hpp>

#include <hdf5.h>

#include <algorithm>
#include <array>
#include <string>

namespace crimp::corruption
{

namespace
{

// Marks a dataset whose data was written in full; a dataset without it is regenerated.
constexpr const char *complete_attribute = "complete";

void write_attribute(hid_t object, const char *name, std::uint64_t value)
{
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(object, name, H5T_NATIVE_UINT64, space, H5P_DEFAULT, H5P_DEFAULT);
    const herr_t status = attribute < 0 ? -1 : H5Awrite(attribute, H5T_NATIVE_UINT64, &value);
    if (attribute >= 0) {
        H5Aclose(attribute);
    }
    H5Sclose(space);
    if (status < 0) {
        throw input_error(std::string("failed to write HDF5 attribute '") + name + "'");
    }
}

bool read_attribute(hid_t object, const char *name, std::uint64_t &value)
{
    if (H5Aexists(object, name) <= 0) {
        return false;
    }
    const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
    const herr_t status = H5Aread(attribute, H5T_NATIVE_UINT64, &value);
    H5Aclose(attribute);
    return status >= 0;
}

void check_attribute(hid_t file, const std::filesystem::path &path, const char *name, std::uint64_t expected)
{
    std::uint64_t found = 0;
    if (!read_attribute(file, name, found)) {
        throw input_error("corruption cache '" + path.string() + "' has no '" + name
                          + "' attribute, so it was not written by crimp: delete it or choose another file");
    }
    if (found != expected) {
        throw input_error("corruption cache '" + path.string() + "' was made with " + name + " " + std::to_string(found)
                          + ", expected " + std::to_string(expected) + ": delete it or choose another file");
    }
}

} // namespace

std::uint64_t image_digest(const std::vector<rgb_image> &images)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const auto &image : images) {
        for (const auto byte : image) {
            hash = (hash ^ byte) * 0x100000001b3ULL;
        }
    }
    return hash;
}

corruption_cache::corruption_cache(std::filesystem::path file, std::vector<rgb_image> images, std::uint64_t seed)
    : m_file(std::move(file)), m_images(std::move(images)), m_seed(seed)
{
    // HDF5 prints its own error stack on failures; the exceptions raised here describe the failure instead.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);

    const std::uint64_t digest = image_digest(m_images);
    if (std::filesystem::exists(m_file)) {
        m_handle = H5Fopen(m_file.string().c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        if (m_handle < 0) {
            throw input_error("failed to open corruption cache '" + m_file.string()
                              + "': it is in use by another process, or not an HDF5 file (then delete it so that it "
                                "is generated again)");
        }
        try {
            check_attribute(m_handle, m_file, "generator_version", generator_version);
            check_attribute(m_handle, m_file, "seed", m_seed);
            check_attribute(m_handle, m_file, "images", m_images.size());
            check_attribute(m_handle, m_file, "image_digest", digest);
        } catch (...) {
            // The destructor does not run when the constructor throws, so the file is closed here.
            H5Fclose(m_handle);
            throw;
        }
        return;
    }

    std::error_code status;
    if (m_file.has_parent_path()) {
        std::filesystem::create_directories(m_file.parent_path(), status);
    }
    m_handle = H5Fcreate(m_file.string().c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
    if (m_handle < 0) {
        throw input_error("failed to create corruption cache '" + m_file.string()
                          + "': check that the folder exists and is writable");
    }
    try {
        write_attribute(m_handle, "generator_version", generator_version);
        write_attribute(m_handle, "seed", m_seed);
        write_attribute(m_handle, "images", m_images.size());
        write_attribute(m_handle, "image_digest", digest);
    } catch (...) {
        H5Fclose(m_handle);
        throw;
    }
    H5Fflush(m_handle, H5F_SCOPE_GLOBAL);
}

corruption_cache::~corruption_cache()
{
    if (m_handle >= 0) {
        H5Fclose(m_handle);
    }
}

bool corruption_cache::contains(int corruption) const
{
    const std::string name(corruption_list().at(static_cast<std::size_t>(corruption)).name);
    if (H5Lexists(m_handle, name.c_str(), H5P_DEFAULT) <= 0) {
        return false;
    }
    const hid_t dataset = H5Dopen2(m_handle, name.c_str(), H5P_DEFAULT);
    std::uint64_t complete = 0;
    const bool found = dataset >= 0 && read_attribute(dataset, complete_attribute, complete) && complete == 1;
    if (dataset >= 0) {
        H5Dclose(dataset);
    }
    return found;
}

std::vector<std::uint8_t> corruption_cache::load_or_generate(int corruption, const corruption_resources &resources)
{
    const std::string name(corruption_list().at(static_cast<std::size_t>(corruption)).name);
    const hsize_t count = m_images.size();
    std::vector<std::uint8_t> pixels(severities * count * image_size);

    if (contains(corruption)) {
        const hid_t dataset = H5Dopen2(m_handle, name.c_str(), H5P_DEFAULT);
        const herr_t status = H5Dread(dataset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, pixels.data());
        H5Dclose(dataset);
        if (status < 0) {
            throw input_error("failed to read '" + name + "' from corruption cache '" + m_file.string()
                              + "': delete the file so that it is generated again");
        }
        return pixels;
    }

    // A dataset left incomplete by an interrupted run is replaced.
    if (H5Lexists(m_handle, name.c_str(), H5P_DEFAULT) > 0) {
        H5Ldelete(m_handle, name.c_str(), H5P_DEFAULT);
    }
    pixels = corrupt_images(m_images, corruption, {1, 2, 3, 4, 5}, m_seed, resources);

    const std::array<hsize_t, 5> shape = {severities, count, image_side, image_side, image_channels};
    const std::array<hsize_t, 5> chunk = {1, std::min<hsize_t>(count, 1000), image_side, image_side, image_channels};
    const hid_t space = H5Screate_simple(5, shape.data(), nullptr);
    const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(properties, 5, chunk.data());
    H5Pset_shuffle(properties);
    H5Pset_deflate(properties, 4);
    const hid_t dataset = H5Dcreate2(m_handle, name.c_str(), H5T_NATIVE_UINT8, space, H5P_DEFAULT, properties, H5P_DEFAULT);
    const herr_t status =
        dataset < 0 ? -1 : H5Dwrite(dataset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, pixels.data());
    if (status >= 0) {
        write_attribute(dataset, complete_attribute, 1);
    }
    if (dataset >= 0) {
        H5Dclose(dataset);
    }
    H5Pclose(properties);
    H5Sclose(space);
    if (status < 0) {
        throw input_error("failed to write '" + name + "' to corruption cache '" + m_file.string() + "'");
    }
    H5Fflush(m_handle, H5F_SCOPE_GLOBAL);
    return pixels;
}

} // namespace crimp::corruption
