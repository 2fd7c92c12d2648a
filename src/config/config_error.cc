#include <utility>

#include "onefirewall_flowd/config/config_loader.h"

namespace flowd {
namespace {

std::string format_config_error(const std::string& file, int line, const std::string& key_path,
                                const std::string& why) {
  std::string text = file;
  if (line > 0) text += ":" + std::to_string(line);
  if (!key_path.empty()) text += ": " + key_path;
  return text + ": " + why;
}

}  // namespace

ConfigError::ConfigError(std::string file, int line, std::string key_path, std::string why)
    : std::runtime_error(format_config_error(file, line, key_path, why)),
      file_(std::move(file)),
      line_(line),
      key_path_(std::move(key_path)),
      why_(std::move(why)) {}

}  // namespace flowd
