#include <crimp/search/run_lock.hpp>

#include <crimp/engine/error.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace crimp::search
{

run_lock::run_lock(const std::filesystem::path &run_file)
{
    auto lock_file = run_file;
    lock_file += ".lock";
    m_descriptor = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_descriptor < 0) {
        throw input_error("failed to open lock file '" + lock_file.string() + "': " + std::strerror(errno));
    }
    if (::flock(m_descriptor, LOCK_EX | LOCK_NB) != 0) {
        char holder[32] = {};
        const auto size = ::pread(m_descriptor, holder, sizeof holder - 1, 0);
        ::close(m_descriptor);
        m_descriptor = -1;
        const std::string process = size > 0 ? std::string(holder, static_cast<std::size_t>(size)) : "unknown";
        throw input_error("run file '" + run_file.string() + "' is in use by process " + process + " (lock file '"
                          + lock_file.string() + "'): wait for that process to finish or stop it first");
    }
    const std::string process = std::to_string(::getpid());
    if (::ftruncate(m_descriptor, 0) != 0 || ::pwrite(m_descriptor, process.data(), process.size(), 0) < 0) {
        // The lock holds even when the process id cannot be recorded.
    }
}

run_lock::~run_lock()
{
    if (m_descriptor >= 0) {
        ::close(m_descriptor);
    }
}

} // namespace crimp::search
