#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace crimp
{

// Whether standard error is an interactive terminal, where a redrawn progress bar makes sense.
bool stderr_is_terminal();

// Formats seconds as e.g. "42s", "3m05s" or "1h02m".
std::string format_duration(double seconds);

// A one-line progress bar on standard error, redrawn at most ten times per second. It draws only when
// enabled, so that logs written to files or pipes stay free of carriage returns.
class progress_bar
{
public:
    progress_bar(std::size_t total_steps, bool enabled);

    // Redraws the bar at `step` of the total, followed by the status text.
    void update(std::size_t step, const std::string &status);

    // Clears the bar so that the next log line starts on a clean line.
    void clear();

private:
    std::size_t m_total_steps;
    bool m_enabled;
    std::chrono::steady_clock::time_point m_last_draw{};
    bool m_drawn = false;
};

} // namespace crimp
