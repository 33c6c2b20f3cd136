#pragma once

#include <crimp/search/evaluation_record.hpp>

namespace crimp::search
{

// A stand-in evaluation of controlled cost for scaling studies: sleeps `milliseconds`, then fills the
// record from a smooth closed-form function of the genome that depends on nothing else. The objectives
// resemble a compression trade-off (accuracy falls with sparsity and few bits, the ratio grows) so that
// NSGA-II behaves as in a real search, but they are not measurements of any model.
void simulate_evaluation(evaluation_record &record, int milliseconds, double baseline_accuracy, std::size_t corruptions);

} // namespace crimp::search
