#pragma once

#include "onefirewall_flowd/config/config.h"

namespace flowd {

// Logs go to stderr; the level follows log.level.
void init_logging();
void set_log_level(LogLevel level);

}  // namespace flowd
