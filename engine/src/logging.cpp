#include <crimp/engine/logging.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace crimp
{

void configure_logging(verbosity level)
{
    auto logger = spdlog::stderr_color_mt("crimp");
    logger->set_pattern("[%H:%M:%S] [%^%l%$] %v");
    switch (level) {
    case verbosity::quiet:
        logger->set_level(spdlog::level::warn);
        break;
    case verbosity::normal:
        logger->set_level(spdlog::level::info);
        break;
    case verbosity::verbose:
        logger->set_level(spdlog::level::debug);
        break;
    }
    spdlog::set_default_logger(logger);
}

} // namespace crimp
