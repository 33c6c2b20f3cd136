#pragma once

#include <string>

namespace crimp::search
{

// MPI in this process, from construction to destruction: initialised so that only the constructing
// thread calls MPI (MPI_THREAD_FUNNELED), finalised when the object goes. At most one may exist.
class mpi_environment
{
public:
    mpi_environment();
    ~mpi_environment();
    mpi_environment(const mpi_environment &) = delete;
    mpi_environment &operator=(const mpi_environment &) = delete;

    int rank() const { return m_rank; }
    int size() const { return m_size; }
    // The name MPI gives this process's machine.
    const std::string &host() const { return m_host; }

    // Ends every rank of the job with `status`: the only way out when a worker rank timed out, since
    // MPI_Finalize would wait for it.
    [[noreturn]] void abort(int status) const;

    // Flushes the output, finalises MPI and ends this process with `status` at once, without waiting
    // for other threads or running destructors: how a worker rank leaves an evaluation that rank 0 no
    // longer needs.
    [[noreturn]] void finalize_and_exit(int status) const;

private:
    int m_rank = 0;
    int m_size = 1;
    std::string m_host;
};

} // namespace crimp::search
