#pragma once

#include <span>
#include <string>
#include <variant>

#include "onefirewall_flowd/app/replay.h"
#include "onefirewall_flowd/app/status_command.h"

namespace flowd {

inline constexpr const char* kDefaultConfigPath = "/etc/onefirewall-flowd/onefirewall-flowd.yaml";

struct CliOptions {
  enum class Command { kRun, kCheckConfig, kVersion, kHelp, kReplay, kStatus };
  Command command = Command::kRun;
  std::string config_path = kDefaultConfigPath;
  bool dry_run = false;
  ReplayOptions replay;  // for kReplay
  StatusOptions status;  // for kStatus
};

struct CliError {
  std::string message;
};

// Parses argv (without argv[0]).
[[nodiscard]] std::variant<CliOptions, CliError> parse_cli(std::span<const char* const> args);

[[nodiscard]] std::string usage_text();
[[nodiscard]] std::string version_text();

}  // namespace flowd
