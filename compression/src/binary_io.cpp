#include "binary_io.hpp"

#include <crimp/engine/error.hpp>

namespace crimp::compression::binary
{

void writer::varint(std::uint64_t value)
{
    while (value >= 0x80) {
        u8(static_cast<std::uint8_t>(value | 0x80));
        value >>= 7;
    }
    u8(static_cast<std::uint8_t>(value));
}

void writer::packed(const std::vector<std::uint32_t> &values, int bits)
{
    std::uint64_t pending = 0;
    int pending_bits = 0;
    for (const auto value : values) {
        pending |= static_cast<std::uint64_t>(value) << pending_bits;
        pending_bits += bits;
        while (pending_bits >= 8) {
            u8(static_cast<std::uint8_t>(pending));
            pending >>= 8;
            pending_bits -= 8;
        }
    }
    if (pending_bits > 0) {
        u8(static_cast<std::uint8_t>(pending));
    }
}

const std::uint8_t *reader::bytes(std::size_t size)
{
    if (size > remaining()) {
        truncated(size);
    }
    const auto *start = m_data + m_position;
    m_position += size;
    return start;
}

std::uint64_t reader::varint()
{
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        const std::uint8_t byte = u8();
        value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) {
            return value;
        }
    }
    throw input_error("invalid packed model '" + m_source + "': a varint runs past 64 bits at byte "
                      + std::to_string(m_position));
}

std::vector<std::uint32_t> reader::packed(std::size_t count, int bits)
{
    const std::size_t byte_count = (count * static_cast<std::size_t>(bits) + 7) / 8;
    const auto *data = bytes(byte_count);
    std::vector<std::uint32_t> values(count);
    const std::uint64_t value_mask = bits == 0 ? 0 : (std::uint64_t{1} << bits) - 1;
    std::uint64_t pending = 0;
    int pending_bits = 0;
    std::size_t next_byte = 0;
    for (auto &value : values) {
        while (pending_bits < bits) {
            pending |= static_cast<std::uint64_t>(data[next_byte++]) << pending_bits;
            pending_bits += 8;
        }
        value = static_cast<std::uint32_t>(pending & value_mask);
        pending >>= bits;
        pending_bits -= bits;
    }
    return values;
}

std::uint64_t reader::unsigned_le(int size)
{
    const auto *data = bytes(static_cast<std::size_t>(size));
    std::uint64_t value = 0;
    for (int i = 0; i < size; ++i) {
        value |= static_cast<std::uint64_t>(data[i]) << (8 * i);
    }
    return value;
}

void reader::truncated(std::size_t requested) const
{
    throw input_error("truncated packed model '" + m_source + "': " + std::to_string(requested) + " bytes needed at byte "
                      + std::to_string(m_position) + " but only " + std::to_string(remaining())
                      + " remain; write the file again with `crimp compress`");
}

} // namespace crimp::compression::binary
