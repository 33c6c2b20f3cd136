#include <crimp/engine/npy.hpp>

#include <crimp/engine/error.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <numeric>
#include <sstream>

namespace crimp
{

namespace
{

constexpr char magic[] = "\x93NUMPY";
constexpr std::size_t magic_size = 6;

[[noreturn]] void fail(const std::filesystem::path &file, const std::string &what)
{
    throw input_error("invalid .npy file '" + file.string() + "': " + what);
}

// A minimal reader for the Python dict literal of an .npy header, e.g.
// {'descr': '<u1', 'fortran_order': False, 'shape': (10, 32, 32, 3), }
class header_parser
{
public:
    header_parser(std::string text, const std::filesystem::path &file) : m_text(std::move(text)), m_file(file) {}

    void parse(npy_array &array, bool &fortran_order)
    {
        bool seen_descr = false;
        bool seen_order = false;
        bool seen_shape = false;
        expect('{');
        while (true) {
            skip_space();
            if (peek() == '}') {
                break;
            }
            const std::string key = read_string();
            expect(':');
            if (key == "descr") {
                skip_space();
                if (peek() != '\'' && peek() != '"') {
                    fail(m_file, "structured dtypes are not supported, expected a plain numeric dtype such as '<u1'");
                }
                array.descr = read_string();
                seen_descr = true;
            } else if (key == "fortran_order") {
                fortran_order = read_bool();
                seen_order = true;
            } else if (key == "shape") {
                array.shape = read_shape();
                seen_shape = true;
            } else {
                fail(m_file, "unexpected header key '" + key + "'");
            }
            skip_space();
            if (peek() == ',') {
                ++m_position;
            }
        }
        if (!seen_descr || !seen_order || !seen_shape) {
            fail(m_file, "the header lacks one of the keys 'descr', 'fortran_order' and 'shape'");
        }
    }

private:
    char peek()
    {
        if (m_position >= m_text.size()) {
            fail(m_file, "the header ends early");
        }
        return m_text[m_position];
    }

    void skip_space()
    {
        while (m_position < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_position])) != 0) {
            ++m_position;
        }
    }

    void expect(char expected)
    {
        skip_space();
        if (peek() != expected) {
            fail(m_file, std::string("malformed header, expected '") + expected + "' at offset "
                             + std::to_string(m_position) + " of: " + m_text);
        }
        ++m_position;
    }

    std::string read_string()
    {
        skip_space();
        const char quote = peek();
        if (quote != '\'' && quote != '"') {
            fail(m_file, "malformed header, expected a quoted string at offset " + std::to_string(m_position));
        }
        const auto end = m_text.find(quote, m_position + 1);
        if (end == std::string::npos) {
            fail(m_file, "malformed header, unterminated string");
        }
        std::string value = m_text.substr(m_position + 1, end - m_position - 1);
        m_position = end + 1;
        return value;
    }

    bool read_bool()
    {
        skip_space();
        for (const auto &[word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            const std::size_t length = std::strlen(word);
            if (m_text.compare(m_position, length, word) == 0) {
                m_position += length;
                return value;
            }
        }
        fail(m_file, "malformed header, expected True or False for 'fortran_order'");
    }

    std::vector<std::size_t> read_shape()
    {
        expect('(');
        std::vector<std::size_t> shape;
        while (true) {
            skip_space();
            if (peek() == ')') {
                ++m_position;
                return shape;
            }
            if (std::isdigit(static_cast<unsigned char>(peek())) == 0) {
                fail(m_file, "malformed header, expected a dimension at offset " + std::to_string(m_position));
            }
            std::size_t value = 0;
            while (std::isdigit(static_cast<unsigned char>(peek())) != 0) {
                value = value * 10 + static_cast<std::size_t>(peek() - '0');
                ++m_position;
            }
            shape.push_back(value);
            skip_space();
            if (peek() == ',') {
                ++m_position;
            }
        }
    }

    std::string m_text;
    const std::filesystem::path &m_file;
    std::size_t m_position = 0;
};

std::uint32_t read_little_endian(const std::uint8_t *bytes, std::size_t count)
{
    std::uint32_t value = 0;
    for (std::size_t i = count; i > 0; --i) {
        value = (value << 8) | bytes[i - 1];
    }
    return value;
}

// Decodes the dtype string: byte order ('<', '>', '|' or '='), kind letter, item size in bytes.
void decode_descr(npy_array &array, bool &big_endian, const std::filesystem::path &file)
{
    const std::string &descr = array.descr;
    if (descr.size() < 3 || std::string("<>|=").find(descr[0]) == std::string::npos) {
        fail(file, "unsupported dtype '" + descr + "', expected a numeric dtype such as '<u1' or '<i8'");
    }
    array.kind = descr[1];
    if (std::string("uifb").find(array.kind) == std::string::npos) {
        fail(file, "unsupported dtype '" + descr + "', expected an integer, floating-point or boolean dtype");
    }
    try {
        array.item_size = std::stoul(descr.substr(2));
    } catch (const std::exception &) {
        fail(file, "unsupported dtype '" + descr + "'");
    }
    if (array.item_size != 1 && array.item_size != 2 && array.item_size != 4 && array.item_size != 8) {
        fail(file, "unsupported item size in dtype '" + descr + "'");
    }
    big_endian = descr[0] == '>';
}

// Reorders a Fortran-ordered (column-major) buffer into C order.
std::vector<std::uint8_t> fortran_to_c_order(const std::vector<std::uint8_t> &source, const std::vector<std::size_t> &shape,
                                             std::size_t item_size)
{
    const std::size_t rank = shape.size();
    std::vector<std::size_t> fortran_strides(rank, 1);
    for (std::size_t d = 1; d < rank; ++d) {
        fortran_strides[d] = fortran_strides[d - 1] * shape[d - 1];
    }

    std::vector<std::uint8_t> target(source.size());
    std::vector<std::size_t> index(rank, 0);
    const std::size_t count = source.size() / item_size;
    for (std::size_t c_offset = 0; c_offset < count; ++c_offset) {
        std::size_t f_offset = 0;
        for (std::size_t d = 0; d < rank; ++d) {
            f_offset += index[d] * fortran_strides[d];
        }
        std::memcpy(&target[c_offset * item_size], &source[f_offset * item_size], item_size);
        for (std::size_t d = rank; d > 0; --d) {
            if (++index[d - 1] < shape[d - 1]) {
                break;
            }
            index[d - 1] = 0;
        }
    }
    return target;
}

template <typename T>
void write_npy_bytes(const std::filesystem::path &file, const std::vector<T> &values, const std::vector<std::size_t> &shape,
                     const std::string &descr)
{
    const std::size_t expected = std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
    if (expected != values.size()) {
        throw std::invalid_argument("write_npy: shape contains " + std::to_string(expected) + " elements but "
                                    + std::to_string(values.size()) + " values were given");
    }

    std::ostringstream dict;
    dict << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
    for (std::size_t d = 0; d < shape.size(); ++d) {
        dict << shape[d];
        if (d + 1 < shape.size()) {
            dict << ", ";
        } else if (shape.size() == 1) {
            dict << ',';
        }
    }
    dict << "), }";
    std::string header = dict.str();
    // Pad with spaces so that the data starts on a 64-byte boundary, ending the header with a newline.
    const std::size_t unpadded = magic_size + 2 + 2 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header.push_back('\n');
    if (header.size() > 0xffff) {
        throw std::invalid_argument("write_npy: header too long for format version 1.0");
    }

    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    const char prelude[4] = {1, 0, static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
    stream.write(magic, magic_size);
    stream.write(prelude, 4);
    stream.write(header.data(), static_cast<std::streamsize>(header.size()));
    stream.write(reinterpret_cast<const char *>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
    stream.close();
    if (stream.fail()) {
        throw input_error("failed to write '" + file.string() + "': check that the folder exists and is writable");
    }
}

} // namespace

std::size_t npy_array::element_count() const
{
    return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

npy_array read_npy(const std::filesystem::path &file)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream) {
        throw input_error("missing .npy file '" + file.string() + "'");
    }
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());

    // 1. Magic string and format version decide the width of the header length field.
    if (bytes.size() < magic_size + 4 || std::memcmp(bytes.data(), magic, magic_size) != 0) {
        fail(file, "missing the \\x93NUMPY magic string");
    }
    const int major = bytes[6];
    if (major < 1 || major > 3) {
        fail(file, "unsupported format version " + std::to_string(major) + "." + std::to_string(bytes[7])
                       + ", expected 1.0, 2.0 or 3.0");
    }
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    if (bytes.size() < magic_size + 2 + length_bytes) {
        fail(file, "the file ends inside the header length");
    }
    const std::size_t header_length = read_little_endian(&bytes[magic_size + 2], length_bytes);
    const std::size_t data_offset = magic_size + 2 + length_bytes + header_length;
    if (bytes.size() < data_offset) {
        fail(file, "the file ends inside the header");
    }

    // 2. The header dict: dtype, memory order and shape.
    npy_array array;
    bool fortran_order = false;
    header_parser(std::string(bytes.begin() + static_cast<std::ptrdiff_t>(magic_size + 2 + length_bytes),
                              bytes.begin() + static_cast<std::ptrdiff_t>(data_offset)),
                  file)
        .parse(array, fortran_order);
    bool big_endian = false;
    decode_descr(array, big_endian, file);

    // 3. The data must be exactly as long as the shape and dtype require.
    const std::size_t expected_bytes = array.element_count() * array.item_size;
    if (bytes.size() - data_offset != expected_bytes) {
        std::ostringstream message;
        message << "the shape and dtype need " << expected_bytes << " data bytes, found " << bytes.size() - data_offset;
        fail(file, message.str());
    }
    array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(data_offset), bytes.end());

    // 4. Normalise to little-endian C order.
    if (big_endian && array.item_size > 1) {
        for (std::size_t offset = 0; offset < array.data.size(); offset += array.item_size) {
            std::reverse(array.data.begin() + static_cast<std::ptrdiff_t>(offset),
                         array.data.begin() + static_cast<std::ptrdiff_t>(offset + array.item_size));
        }
    }
    array.descr = (array.item_size == 1 ? "|" : "<") + array.descr.substr(1);
    if (fortran_order && array.shape.size() > 1) {
        array.data = fortran_to_c_order(array.data, array.shape, array.item_size);
    }
    return array;
}

std::vector<std::int64_t> npy_to_int64(const npy_array &array, const std::filesystem::path &file)
{
    if (array.kind != 'i' && array.kind != 'u') {
        fail(file, "expected an integer dtype, found '" + array.descr + "'");
    }
    std::vector<std::int64_t> values(array.element_count());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint8_t *item = &array.data[i * array.item_size];
        std::uint64_t raw = 0;
        for (std::size_t b = array.item_size; b > 0; --b) {
            raw = (raw << 8) | item[b - 1];
        }
        const bool negative = array.kind == 'i' && (item[array.item_size - 1] & 0x80) != 0;
        if (negative && array.item_size < 8) {
            raw |= ~std::uint64_t{0} << (8 * array.item_size);
        }
        if (array.kind == 'u' && array.item_size == 8 && raw > static_cast<std::uint64_t>(INT64_MAX)) {
            fail(file, "value at element " + std::to_string(i) + " does not fit in int64");
        }
        values[i] = static_cast<std::int64_t>(raw);
    }
    return values;
}

void write_npy(const std::filesystem::path &file, const std::vector<std::uint8_t> &values,
               const std::vector<std::size_t> &shape)
{
    write_npy_bytes(file, values, shape, "|u1");
}

void write_npy(const std::filesystem::path &file, const std::vector<std::int64_t> &values,
               const std::vector<std::size_t> &shape)
{
    write_npy_bytes(file, values, shape, "<i8");
}

} // namespace crimp
