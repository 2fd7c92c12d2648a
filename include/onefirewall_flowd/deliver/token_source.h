#pragma once

#include <string>

namespace flowd {

// The API token and where it came from. `value` is secret: it goes into the
// Authorization header and nowhere else, never into a log line.
struct TokenLoad {
  std::string value;    // empty when no source had one
  std::string source;   // "file /etc/...", "environment ONEFIREWALL_TOKEN", ...
  std::string warning;  // e.g. a token file readable by others
  std::string error;    // why no token was found
  [[nodiscard]] bool ok() const { return !value.empty(); }
};

// Reads api.token_file, then $ONEFIREWALL_TOKEN, then the systemd credential
// $CREDENTIALS_DIRECTORY/token. Surrounding whitespace and the final newline
// are trimmed; the rest is kept verbatim.
[[nodiscard]] TokenLoad load_token(const std::string& token_file);

}  // namespace flowd
