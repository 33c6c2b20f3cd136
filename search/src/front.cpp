#include <crimp/search/front.hpp>

#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <algorithm>

namespace crimp::search
{

namespace
{

std::vector<pagmo::vector_double> to_points(const std::vector<std::array<double, 3>> &objectives)
{
    std::vector<pagmo::vector_double> points;
    for (const auto &row : objectives) {
        points.emplace_back(row.begin(), row.end());
    }
    return points;
}

} // namespace

std::vector<std::size_t> non_dominated(const std::vector<std::array<double, 3>> &objectives)
{
    if (objectives.size() < 2) {
        return objectives.empty() ? std::vector<std::size_t>{} : std::vector<std::size_t>{0};
    }
    const auto fronts = std::get<0>(pagmo::fast_non_dominated_sorting(to_points(objectives)));
    auto front = std::vector<std::size_t>(fronts.front().begin(), fronts.front().end());
    std::sort(front.begin(), front.end());
    return front;
}

std::vector<std::size_t> front_positions(const run_state &state, int rank)
{
    std::vector<std::size_t> candidates;
    std::vector<std::array<double, 3>> objectives;
    for (std::size_t i = 0; i < state.evaluations.size(); ++i) {
        if (state.evaluations[i].ok) {
            candidates.push_back(i);
            objectives.push_back(state.evaluations[i].objectives);
        }
    }
    std::vector<std::size_t> selected;
    if (candidates.size() == 1) {
        selected = candidates;
    } else if (candidates.size() > 1) {
        const auto ranks = std::get<3>(pagmo::fast_non_dominated_sorting(to_points(objectives)));
        for (std::size_t j = 0; j < candidates.size(); ++j) {
            if (rank <= 0 || static_cast<int>(ranks[j]) < rank) {
                selected.push_back(candidates[j]);
            }
        }
    }
    std::sort(selected.begin(), selected.end(), [&state](std::size_t a, std::size_t b) {
        return state.evaluations[a].key < state.evaluations[b].key;
    });
    return selected;
}

double hypervolume(const std::vector<std::array<double, 3>> &objectives, const std::array<double, 3> &reference)
{
    std::vector<pagmo::vector_double> inside;
    for (const auto &row : objectives) {
        if (row[0] < reference[0] && row[1] < reference[1] && row[2] < reference[2]) {
            inside.emplace_back(row.begin(), row.end());
        }
    }
    if (inside.empty()) {
        return 0.0;
    }
    return pagmo::hypervolume(inside, /*verify=*/true).compute({reference.begin(), reference.end()});
}

} // namespace crimp::search
