#pragma once

#include <filesystem>

namespace crimp::search
{

// An exclusive advisory lock (flock) on RUN.lock beside a run file, held for the lifetime of the object.
// The lock file records the holder's process id, so a second crimp can report which process is in the way.
class run_lock
{
public:
    // Raises input_error naming the holding process when another process holds the lock.
    explicit run_lock(const std::filesystem::path &run_file);
    ~run_lock();
    run_lock(const run_lock &) = delete;
    run_lock &operator=(const run_lock &) = delete;

private:
    int m_descriptor = -1;
};

} // namespace crimp::search
