#include <crimp/engine/atomic_file.hpp>

#include <crimp/engine/error.hpp>

#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace crimp
{

void flush_to_disk(const std::filesystem::path &file)
{
    const int descriptor = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor >= 0) {
        ::fsync(descriptor);
        ::close(descriptor);
    }
}

void write_file_atomically(const std::filesystem::path &file, const std::vector<std::uint8_t> &bytes)
{
    auto partial = file;
    partial += ".partial";
    {
        std::ofstream stream(partial, std::ios::binary | std::ios::trunc);
        stream.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        stream.close();
        if (!stream) {
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
            throw input_error("failed to write '" + file.string() + "': check that the folder exists, is writable "
                              "and has free space");
        }
    }
    flush_to_disk(partial);
    std::error_code status;
    std::filesystem::rename(partial, file, status);
    if (status) {
        throw input_error("failed to write '" + file.string() + "': " + status.message());
    }
}

} // namespace crimp
