#pragma once

#include <string>
#include <vector>

namespace flowd {

struct ReplayOptions {
  std::string config_path;  // empty: the built-in defaults
  bool explain = false;
  std::string raw_exporter = "0.0.0.0";  // stands in for the sender of raw datagram files
  std::vector<std::string> captures;
};

// Decodes captures offline through the live pipeline and prints the records
// as --dry-run does. Returns the process exit code.
int run_replay(const ReplayOptions& options);

}  // namespace flowd
