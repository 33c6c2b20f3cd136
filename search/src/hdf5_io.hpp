#pragma once

// Small helpers over the HDF5 C API for the run file: whole datasets of doubles, 64-bit integers and
// variable-length strings, and scalar or vector attributes. Every failure raises input_error naming the
// object.

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace crimp::search::hdf5
{

// An HDF5 identifier closed with its close function on destruction.
class handle
{
public:
    handle(hid_t id, herr_t (*close)(hid_t), const std::string &what);
    ~handle();
    handle(handle &&other) noexcept : m_id(other.m_id), m_close(other.m_close) { other.m_id = -1; }
    handle(const handle &) = delete;
    handle &operator=(const handle &) = delete;

    operator hid_t() const { return m_id; }

    // Closes the identifier now and raises input_error when closing fails; for a file, closing is when
    // HDF5 writes its metadata.
    void close(const std::string &what);

private:
    hid_t m_id;
    herr_t (*m_close)(hid_t);
};

handle create_group(hid_t location, const std::string &name);
handle open_group(hid_t location, const std::string &name);
bool exists(hid_t location, const std::string &name);

void write_doubles(hid_t location, const std::string &name, const std::vector<double> &values,
                   const std::vector<hsize_t> &shape);
void write_integers(hid_t location, const std::string &name, const std::vector<std::int64_t> &values,
                    const std::vector<hsize_t> &shape);
void write_strings(hid_t location, const std::string &name, const std::vector<std::string> &values);

// Reads a whole dataset and its shape.
std::vector<double> read_doubles(hid_t location, const std::string &name, std::vector<hsize_t> *shape = nullptr);
std::vector<std::int64_t> read_integers(hid_t location, const std::string &name, std::vector<hsize_t> *shape = nullptr);
std::vector<std::string> read_strings(hid_t location, const std::string &name);

void write_attribute(hid_t location, const std::string &name, const std::string &value);
void write_attribute(hid_t location, const std::string &name, const std::vector<double> &values);
void write_attribute(hid_t location, const std::string &name, std::int64_t value);
std::string read_string_attribute(hid_t location, const std::string &name);
std::vector<double> read_double_attribute(hid_t location, const std::string &name);
std::int64_t read_integer_attribute(hid_t location, const std::string &name);

} // namespace crimp::search::hdf5
