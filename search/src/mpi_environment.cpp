#include <crimp/search/mpi_environment.hpp>

#include <crimp/engine/error.hpp>

#include <mpi.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

namespace crimp::search
{

mpi_environment::mpi_environment()
{
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized != 0) {
        throw std::logic_error("MPI is already initialised in this process");
    }
    int provided = MPI_THREAD_SINGLE;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        throw input_error("MPI could not start; launch crimp with mpirun (Open MPI) or srun");
    }
    if (provided < MPI_THREAD_FUNNELED) {
        MPI_Finalize();
        throw input_error("the MPI library does not allow threads next to MPI calls (MPI_THREAD_FUNNELED); use "
                          "Open MPI 4 or another library built with thread support");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m_size);
    char name[MPI_MAX_PROCESSOR_NAME] = {};
    int length = 0;
    MPI_Get_processor_name(name, &length);
    m_host.assign(name, static_cast<std::size_t>(length));
}

mpi_environment::~mpi_environment()
{
    MPI_Finalize();
}

void mpi_environment::abort(int status) const
{
    MPI_Abort(MPI_COMM_WORLD, status);
    // MPI_Abort does not return on Open MPI; this keeps the promise of [[noreturn]] elsewhere.
    std::_Exit(status);
}

void mpi_environment::finalize_and_exit(int status) const
{
    spdlog::default_logger()->flush();
    std::fflush(nullptr);
    MPI_Finalize();
    std::_Exit(status);
}

} // namespace crimp::search
