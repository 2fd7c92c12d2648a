#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace flowd {

struct StatusOptions {
  std::string config_path;
  bool json = false;
  std::chrono::milliseconds interval{1000};  // between the two scrapes that give the rates
};

// The exit codes of `status`, after LSB's for init scripts.
inline constexpr int kStatusHealthy = 0;
inline constexpr int kStatusDegraded = 1;
inline constexpr int kStatusNotRunning = 3;
inline constexpr int kStatusUnknown = 4;  // the config cannot be read

// One HTTP GET: the status code and body, or the reason it failed.
struct HttpGetResult {
  long status = 0;
  std::string body;
  std::string error;  // "" when an answer came
};
[[nodiscard]] HttpGetResult http_get_url(const std::string& url, std::chrono::milliseconds timeout);

// Asks the daemon the config names, through its metrics endpoint, and prints a
// summary (or JSON) to stdout. Returns one of the codes above.
int run_status(const StatusOptions& options);

}  // namespace flowd
