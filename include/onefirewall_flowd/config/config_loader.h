#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "onefirewall_flowd/config/config.h"

namespace flowd {

// A configuration error. what() reads "FILE:LINE: key.path: why", e.g.
//   flowd.yaml:12: exporters.list[2].internal_networks[0]: 'x' is not an address/prefix
// Parts that are unknown are left out: a missing or unreadable file has line 0
// and no key path and reads "FILE: why"; a YAML syntax error has a line but no
// key path and reads "FILE:LINE: why". The offending value is quoted in why().
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key_path, std::string why);

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] int line() const { return line_; }  // 1-based; 0 when unknown
  [[nodiscard]] const std::string& key_path() const { return key_path_; }
  [[nodiscard]] const std::string& why() const { return why_; }

 private:
  std::string file_;
  int line_;
  std::string key_path_;
  std::string why_;
};

// Reads and validates a YAML config file. An empty file, or one holding only
// comments, gives Config::defaults(). Throws ConfigError and nothing else.
Config load_config_file(const std::string& path);

// Parses YAML text; file_name is used in error messages and as source_file.
// Throws ConfigError and nothing else.
Config parse_config(std::string_view yaml_text, const std::string& file_name);

}  // namespace flowd
