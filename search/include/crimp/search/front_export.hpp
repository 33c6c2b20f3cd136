#pragma once

#include <filesystem>

namespace crimp::search
{

// Exports the models of a run whose non-domination rank is `rank` or better (0: every successful
// evaluation) into `folder`. Each gets KEY.crimp (the packed model), KEY.pt (a LibTorch archive with the
// decoded weights, readable by `crimp evaluate`) and KEY.json (genome, validation and test objectives,
// baseline, seed, crimp version). Returns the number of models written.
std::size_t export_front(const std::filesystem::path &run_file, const std::filesystem::path &folder, int rank);

} // namespace crimp::search
