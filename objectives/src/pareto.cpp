#include <crimp/objectives/pareto.hpp>

#include <stdexcept>
#include <string>

namespace crimp::objectives
{

bool dominates(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size()) {
        throw std::invalid_argument("cannot compare points with " + std::to_string(a.size()) + " and " +
                                    std::to_string(b.size()) + " objectives");
    }
    bool strictly_better = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] > b[i]) {
            return false;
        }
        if (a[i] < b[i]) {
            strictly_better = true;
        }
    }
    return strictly_better;
}

std::vector<bool> non_dominated(const std::vector<std::vector<double>> &points)
{
    std::vector<bool> marks(points.size(), true);
    for (std::size_t i = 0; i < points.size(); ++i) {
        for (std::size_t j = 0; j < points.size() && marks[i]; ++j) {
            if (j != i && dominates(points[j], points[i])) {
                marks[i] = false;
            }
        }
    }
    return marks;
}

} // namespace crimp::objectives
