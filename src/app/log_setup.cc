#include "onefirewall_flowd/app/log_setup.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace flowd {

void init_logging() {
  auto logger = spdlog::stderr_logger_mt("flowd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
}

void set_log_level(LogLevel level) {
  static constexpr spdlog::level::level_enum kLevels[] = {
      spdlog::level::trace, spdlog::level::debug,    spdlog::level::info, spdlog::level::warn,
      spdlog::level::err,   spdlog::level::critical, spdlog::level::off};
  spdlog::set_level(kLevels[static_cast<int>(level)]);
}

}  // namespace flowd
