#pragma once

// Little-endian byte streams for the packed model format, with bit-packed codes and varints.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace crimp::compression::binary
{

class writer
{
public:
    void u8(std::uint8_t value) { m_bytes.push_back(value); }
    void u16(std::uint16_t value) { unsigned_le(value, 2); }
    void u32(std::uint32_t value) { unsigned_le(value, 4); }
    void u64(std::uint64_t value) { unsigned_le(value, 8); }
    void i32(std::int32_t value) { u32(static_cast<std::uint32_t>(value)); }
    void f32(float value)
    {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        u32(bits);
    }
    void bytes(const std::uint8_t *data, std::size_t size) { m_bytes.insert(m_bytes.end(), data, data + size); }
    void text(const std::string &value) { bytes(reinterpret_cast<const std::uint8_t *>(value.data()), value.size()); }

    // LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last.
    void varint(std::uint64_t value);

    // Each value in `bits` bits (0 to 32), least significant bit first, padded to a whole byte.
    void packed(const std::vector<std::uint32_t> &values, int bits);

    std::vector<std::uint8_t> &buffer() { return m_bytes; }

private:
    void unsigned_le(std::uint64_t value, int size)
    {
        for (int i = 0; i < size; ++i) {
            m_bytes.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
        }
    }

    std::vector<std::uint8_t> m_bytes;
};

// Reads what `writer` wrote; raises input_error naming `source` when the data ends early.
class reader
{
public:
    reader(const std::uint8_t *data, std::size_t size, std::string source)
        : m_data(data), m_size(size), m_source(std::move(source))
    {
    }

    std::uint8_t u8() { return static_cast<std::uint8_t>(unsigned_le(1)); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(unsigned_le(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(unsigned_le(4)); }
    std::uint64_t u64() { return unsigned_le(8); }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    float f32()
    {
        const std::uint32_t bits = u32();
        float value = 0.0F;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    const std::uint8_t *bytes(std::size_t size);
    std::string text(std::size_t size)
    {
        const auto *start = bytes(size);
        return {reinterpret_cast<const char *>(start), size};
    }
    std::uint64_t varint();
    std::vector<std::uint32_t> packed(std::size_t count, int bits);

    std::size_t position() const { return m_position; }
    std::size_t remaining() const { return m_size - m_position; }
    const std::string &source() const { return m_source; }

private:
    std::uint64_t unsigned_le(int size);
    [[noreturn]] void truncated(std::size_t requested) const;

    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_position = 0;
    std::string m_source;
};

} // namespace crimp::compression::binary
