#pragma once

#include <crimp/search/run_state.hpp>

#include <filesystem>

namespace crimp::search
{

// Writes the run file (HDF5, schema in docs/run-file.md) beside its target and renames it into place,
// so that a kill at any instant leaves either the previous or the new file, both complete.
void write_run_file(const std::filesystem::path &file, const run_state &state);

// Reads a run file; raises input_error naming the file and the reason when it cannot be used.
run_state read_run_file(const std::filesystem::path &file);

} // namespace crimp::search
