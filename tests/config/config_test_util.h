#pragma once

#include <string>
#include <string_view>

#include "onefirewall_flowd/config/config_loader.h"

namespace flowd::testing {

inline constexpr const char* kTestFile = "test.yaml";

inline Config parse(std::string_view yaml) {
  return parse_config(yaml, kTestFile);
}

// The full message parse_config throws for `yaml`, or "<no error>" when it accepts it.
inline std::string error_text(std::string_view yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "<no error>";
}

}  // namespace flowd::testing
