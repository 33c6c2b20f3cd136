#include "hdf5_io.hpp"

#include <crimp/engine/error.hpp>

namespace crimp::search::hdf5
{

namespace
{

[[noreturn]] void failed(const std::string &what)
{
    throw input_error("HDF5 failed to " + what);
}

void check(herr_t status, const std::string &what)
{
    if (status < 0) {
        failed(what);
    }
}

handle string_type()
{
    handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
    check(H5Tset_size(type, H5T_VARIABLE), "make a variable-length string type");
    check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8 strings");
    return type;
}

handle simple_space(const std::vector<hsize_t> &shape)
{
    return {H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose, "create a dataspace"};
}

template <typename T>
void write_array(hid_t location, const std::string &name, hid_t type, const std::vector<T> &values,
                 const std::vector<hsize_t> &shape)
{
    const auto space = simple_space(shape);
    handle dataset(H5Dcreate2(location, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                   "create dataset " + name);
    if (!values.empty()) {
        check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write dataset " + name);
    }
}

template <typename T>
std::vector<T> read_array(hid_t location, const std::string &name, hid_t type, std::vector<hsize_t> *shape)
{
    handle dataset(H5Dopen2(location, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
    handle space(H5Dget_space(dataset), H5Sclose, "read the shape of " + name);
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dimensions(static_cast<std::size_t>(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space, dimensions.data(), nullptr);
    std::size_t count = 1;
    for (const auto dimension : dimensions) {
        count *= dimension;
    }
    std::vector<T> values(count);
    if (count > 0) {
        check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read dataset " + name);
    }
    if (shape != nullptr) {
        *shape = dimensions;
    }
    return values;
}

handle scalar_attribute(hid_t location, const std::string &name, hid_t type, hid_t space)
{
    return {H5Acreate2(location, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
            "create attribute " + name};
}

} // namespace

handle::handle(hid_t id, herr_t (*close)(hid_t), const std::string &what) : m_id(id), m_close(close)
{
    if (id < 0) {
        failed(what);
    }
}

handle::~handle()
{
    if (m_id >= 0) {
        m_close(m_id);
    }
}

void handle::close(const std::string &what)
{
    const herr_t status = m_close(m_id);
    m_id = -1;
    check(status, what);
}

handle create_group(hid_t location, const std::string &name)
{
    return {H5Gcreate2(location, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create group " + name};
}

handle open_group(hid_t location, const std::string &name)
{
    return {H5Gopen2(location, name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + name};
}

bool exists(hid_t location, const std::string &name)
{
    return H5Lexists(location, name.c_str(), H5P_DEFAULT) > 0;
}

void write_doubles(hid_t location, const std::string &name, const std::vector<double> &values,
                   const std::vector<hsize_t> &shape)
{
    write_array(location, name, H5T_NATIVE_DOUBLE, values, shape);
}

void write_integers(hid_t location, const std::string &name, const std::vector<std::int64_t> &values,
                    const std::vector<hsize_t> &shape)
{
    write_array(location, name, H5T_NATIVE_INT64, values, shape);
}

void write_strings(hid_t location, const std::string &name, const std::vector<std::string> &values)
{
    std::vector<const char *> pointers;
    for (const auto &value : values) {
        pointers.push_back(value.c_str());
    }
    const auto type = string_type();
    write_array(location, name, type, pointers, {values.size()});
}

std::vector<double> read_doubles(hid_t location, const std::string &name, std::vector<hsize_t> *shape)
{
    return read_array<double>(location, name, H5T_NATIVE_DOUBLE, shape);
}

std::vector<std::int64_t> read_integers(hid_t location, const std::string &name, std::vector<hsize_t> *shape)
{
    return read_array<std::int64_t>(location, name, H5T_NATIVE_INT64, shape);
}

std::vector<std::string> read_strings(hid_t location, const std::string &name)
{
    const auto type = string_type();
    auto pointers = read_array<char *>(location, name, type, nullptr);
    std::vector<std::string> values;
    for (char *pointer : pointers) {
        values.emplace_back(pointer == nullptr ? "" : pointer);
        H5free_memory(pointer);
    }
    return values;
}

void write_attribute(hid_t location, const std::string &name, const std::string &value)
{
    const auto type = string_type();
    handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
    const auto attribute = scalar_attribute(location, name, type, space);
    const char *pointer = value.c_str();
    check(H5Awrite(attribute, type, &pointer), "write attribute " + name);
}

void write_attribute(hid_t location, const std::string &name, const std::vector<double> &values)
{
    const auto space = simple_space({values.size()});
    const auto attribute = scalar_attribute(location, name, H5T_NATIVE_DOUBLE, space);
    check(H5Awrite(attribute, H5T_NATIVE_DOUBLE, values.data()), "write attribute " + name);
}

void write_attribute(hid_t location, const std::string &name, std::int64_t value)
{
    handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
    const auto attribute = scalar_attribute(location, name, H5T_NATIVE_INT64, space);
    check(H5Awrite(attribute, H5T_NATIVE_INT64, &value), "write attribute " + name);
}

std::string read_string_attribute(hid_t location, const std::string &name)
{
    const auto type = string_type();
    handle attribute(H5Aopen(location, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
    char *pointer = nullptr;
    check(H5Aread(attribute, type, &pointer), "read attribute " + name);
    std::string value = pointer == nullptr ? "" : pointer;
    H5free_memory(pointer);
    return value;
}

std::vector<double> read_double_attribute(hid_t location, const std::string &name)
{
    handle attribute(H5Aopen(location, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
    handle space(H5Aget_space(attribute), H5Sclose, "read the shape of attribute " + name);
    std::vector<double> values(static_cast<std::size_t>(std::max<hssize_t>(H5Sget_simple_extent_npoints(space), 0)));
    check(H5Aread(attribute, H5T_NATIVE_DOUBLE, values.data()), "read attribute " + name);
    return values;
}

std::int64_t read_integer_attribute(hid_t location, const std::string &name)
{
    handle attribute(H5Aopen(location, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
    handle space(H5Aget_space(attribute), H5Sclose, "read the shape of attribute " + name);
    if (H5Sget_simple_extent_npoints(space) != 1) {
        failed("read attribute " + name + ": it does not hold one value");
    }
    std::int64_t value = 0;
    check(H5Aread(attribute, H5T_NATIVE_INT64, &value), "read attribute " + name);
    return value;
}

} // namespace crimp::search::hdf5
