#include "key_schema.h"

#include <algorithm>
#include <vector>

#include "quote.h"
#include "suggest.h"

namespace flowd::config_detail {
namespace {

bool holds(KeyList keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string join(const std::vector<std::string_view>& parts, std::string_view separator) {
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) text += separator;
    text += parts[i];
  }
  return text;
}

std::vector<std::string_view> sections_holding(std::string_view key) {
  std::vector<std::string_view> places;
  for (const KeySection& section : all_key_sections()) {
    if (holds(section.keys, key)) places.push_back(section.where);
  }
  return places;
}

std::string list_keys(KeyList keys) {
  return join({keys.begin(), keys.end()}, ", ");
}

}  // namespace

std::span<const KeySection> all_key_sections() {
  static const std::array<KeySection, 14> sections = {{
      {"", "at the top level", keys::kTopLevel},
      {"exporters", "under 'exporters'", keys::kExporters},
      {"exporters.defaults", "under 'exporters.defaults'", keys::kExporterPolicy},
      {"exporters.list[]", "in an entry of 'exporters.list'", keys::kExporterEntry},
      {"services", "under 'services'", keys::kServices},
      {"services.overrides[]", "in an entry of 'services.overrides'", keys::kServiceOverride},
      {"reduce", "under 'reduce'", keys::kReduce},
      {"queue", "under 'queue'", keys::kQueue},
      {"spool", "under 'spool'", keys::kSpool},
      {"templates", "under 'templates'", keys::kTemplates},
      {"api", "under 'api'", keys::kApi},
      {"api.rate_limit", "under 'api.rate_limit'", keys::kRateLimit},
      {"metrics", "under 'metrics'", keys::kMetrics},
      {"log", "under 'log'", keys::kLog},
  }};
  return sections;
}

std::string unknown_key_message(std::string_view key, KeyList allowed) {
  const std::string unknown = "unknown key " + quote(key);
  if (key == "token") {
    return unknown +
           ": the token never goes in the config; put it in the file named by "
           "api.token_file, in ONEFIREWALL_TOKEN, or in the systemd credential 'token'";
  }
  if (const auto near = closest_match(key, allowed)) {
    return unknown + " (did you mean '" + std::string(*near) + "'?)";
  }
  if (const auto places = sections_holding(key); !places.empty()) {
    return unknown + "; it belongs " + join(places, " or ");
  }
  return unknown + " (valid keys here: " + list_keys(allowed) + ")";
}

}  // namespace flowd::config_detail
