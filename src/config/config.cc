#include "onefirewall_flowd/config/config.h"

#include <array>
#include <utility>

namespace flowd {
namespace {

Cidr must_parse_cidr(std::string_view text) {
  return Cidr::parse(text).value();
}

constexpr std::array<std::pair<std::string_view, LogLevel>, 7> kLogLevelNames = {{
    {"trace", LogLevel::kTrace},
    {"debug", LogLevel::kDebug},
    {"info", LogLevel::kInfo},
    {"warn", LogLevel::kWarn},
    {"error", LogLevel::kError},
    {"critical", LogLevel::kCritical},
    {"off", LogLevel::kOff},
}};

}  // namespace

std::vector<Cidr> Config::default_internal_networks() {
  return {must_parse_cidr("10.0.0.0/8"),     must_parse_cidr("172.16.0.0/12"),
          must_parse_cidr("192.168.0.0/16"), must_parse_cidr("100.64.0.0/10"),
          must_parse_cidr("169.254.0.0/16"), must_parse_cidr("fc00::/7"),
          must_parse_cidr("fe80::/10")};
}

Config Config::defaults() {
  Config config;
  config.listen = {Endpoint{IpAddress::from_v4(0), 2055}, Endpoint{IpAddress::from_v6({}), 2055}};
  config.exporter_defaults.internal_networks = default_internal_networks();
  config.metrics_listen = Endpoint{IpAddress::from_v4(0x7f000001), 9740};
  return config;
}

std::string_view to_string(LogLevel level) {
  for (const auto& [name, value] : kLogLevelNames) {
    if (value == level) return name;
  }
  return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (const auto& [name, value] : kLogLevelNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace flowd
