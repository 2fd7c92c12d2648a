#pragma once

#include "onefirewall_flowd/app/cli.h"

namespace flowd {

// Exit codes of DESIGN.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitConfig = 1;
inline constexpr int kExitRuntime = 2;

// Runs the command the options name and returns the process exit code.
int run(const CliOptions& options);

}  // namespace flowd
