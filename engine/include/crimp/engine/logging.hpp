#pragma once

namespace crimp
{

enum class verbosity { quiet, normal, verbose };

// Sends spdlog's default logger to standard error: warnings and errors only when quiet, debug
// messages too when verbose.
void configure_logging(verbosity level);

} // namespace crimp
