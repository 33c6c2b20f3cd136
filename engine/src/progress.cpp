#include <crimp/engine/progress.hpp>

#include <cstdio>
#include <unistd.h>

namespace crimp
{

bool stderr_is_terminal()
{
    return isatty(fileno(stderr)) != 0;
}

std::string format_duration(double seconds)
{
    const auto total = static_cast<long long>(seconds + 0.5);
    char text[32];
    if (total < 60) {
        std::snprintf(text, sizeof text, "%llds", total);
    } else if (total < 3600) {
        std::snprintf(text, sizeof text, "%lldm%02llds", total / 60, total % 60);
    } else {
        std::snprintf(text, sizeof text, "%lldh%02lldm", total / 3600, total % 3600 / 60);
    }
    return text;
}

progress_bar::progress_bar(std::size_t total_steps, bool enabled) : m_total_steps(total_steps), m_enabled(enabled) {}

void progress_bar::update(std::size_t step, const std::string &status)
{
    if (!m_enabled) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (m_drawn && step < m_total_steps && now - m_last_draw < std::chrono::milliseconds(100)) {
        return;
    }
    m_last_draw = now;
    m_drawn = true;

    constexpr int width = 24;
    const double fraction = m_total_steps == 0 ? 1.0 : static_cast<double>(step) / static_cast<double>(m_total_steps);
    const int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '-');
    std::fprintf(stderr, "\r[%s] %3d%% %s\033[K", bar.c_str(), static_cast<int>(fraction * 100.0), status.c_str());
    std::fflush(stderr);
}

void progress_bar::clear()
{
    if (m_enabled && m_drawn) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        m_drawn = false;
    }
}

} // namespace crimp
