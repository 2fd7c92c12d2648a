#include "onefirewall_flowd/config/config_loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "quote.h"
#include "sections.h"
#include "yaml_field.h"

namespace flowd {
namespace {

constexpr std::size_t kLargestConfigFile = 16u << 20;

std::vector<YAML::Node> load_documents(std::string_view yaml_text, const std::string& file_name) {
  try {
    return YAML::LoadAll(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    const int line = error.mark.line < 0 ? 0 : error.mark.line + 1;
    throw ConfigError(file_name, line, "",
                      "YAML syntax error: " + config_detail::without_controls(error.msg));
  }
}

Config build_config(std::string_view yaml_text, const std::string& file_name) {
  const std::vector<YAML::Node> documents = load_documents(yaml_text, file_name);
  Config config = Config::defaults();
  config.source_file = file_name;
  if (documents.size() > 1) {
    const int line = config_detail::line_of(documents[1], 0);
    throw ConfigError(file_name, line, "", "holds more than one YAML document; a config is one document");
  }
  if (documents.empty()) return config;
  const YAML::Node& root = documents.front();
  const config_detail::Field root_field(root, "", config_detail::line_of(root, 1), file_name);
  if (!root.IsNull() && !root.IsMap()) {
    root_field.fail("the top level must be a map of keys, got " + config_detail::describe(root));
  }
  config_detail::read_top_level(root_field, config);
  return config;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::string read_whole_file(const std::string& path) {
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw ConfigError(path, 0, "", std::string("cannot open the config file: ") + std::strerror(errno));
  }
  std::string text;
  char buffer[8192];
  while (const std::size_t count = std::fread(buffer, 1, sizeof buffer, file.get())) {
    text.append(buffer, count);
    if (text.size() > kLargestConfigFile) {
      throw ConfigError(path, 0, "", "is larger than 16MiB; not a config file");
    }
  }
  if (std::ferror(file.get())) {
    throw ConfigError(path, 0, "", std::string("cannot read the config file: ") + std::strerror(errno));
  }
  return text;
}

}  // namespace

Config parse_config(std::string_view yaml_text, const std::string& file_name) {
  try {
    return build_config(yaml_text, file_name);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& error) {
    throw ConfigError(file_name, 0, "", std::string("cannot read the config: ") + error.what());
  }
}

Config load_config_file(const std::string& path) {
  try {
    return parse_config(read_whole_file(path), path);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& error) {
    throw ConfigError(path, 0, "", std::string("cannot read the config file: ") + error.what());
  }
}

}  // namespace flowd
