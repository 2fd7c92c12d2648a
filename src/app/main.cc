#include <iostream>
#include <span>

#include "onefirewall_flowd/app/daemon.h"
#include "onefirewall_flowd/app/log_setup.h"

int main(int argc, char** argv) {
  flowd::init_logging();
  const auto parsed = flowd::parse_cli(std::span<const char* const>(argv + 1, static_cast<size_t>(argc - 1)));
  if (const auto* error = std::get_if<flowd::CliError>(&parsed)) {
    std::cerr << "onefirewall-flowd: " << error->message << "\n\n" << flowd::usage_text();
    return flowd::kExitConfig;
  }
  const auto& options = std::get<flowd::CliOptions>(parsed);
  if (options.command == flowd::CliOptions::Command::kReplay) return flowd::run_replay(options.replay);
  if (options.command == flowd::CliOptions::Command::kStatus) return flowd::run_status(options.status);
  return flowd::run(options);
}
