#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace flowd::config_detail {

using KeyList = std::span<const std::string_view>;

// The keys valid in each map of the config file (DESIGN.md, "Configuration keys").
namespace keys {
inline constexpr auto kTopLevel = std::to_array<std::string_view>(
    {"listen", "listen_tcp", "workers", "receive_buffer", "exporters", "services", "reduce", "queue", "spool",
     "templates", "api", "metrics", "log"});
inline constexpr auto kExporters =
    std::to_array<std::string_view>({"accept_unknown", "silent_after", "defaults", "list"});
inline constexpr auto kExporterPolicy = std::to_array<std::string_view>(
    {"internal_networks", "outside_interfaces", "default_action", "output_interface_zero_is_deny"});
inline constexpr auto kExporterEntry = std::to_array<std::string_view>(
    {"address", "name", "observation_domain", "internal_networks", "outside_interfaces", "default_action",
     "output_interface_zero_is_deny"});
inline constexpr auto kServices = std::to_array<std::string_view>({"overrides"});
inline constexpr auto kServiceOverride =
    std::to_array<std::string_view>({"port", "protocol", "address", "name"});
inline constexpr auto kReduce = std::to_array<std::string_view>({"window", "capacity"});
inline constexpr auto kQueue = std::to_array<std::string_view>({"capacity"});
inline constexpr auto kSpool = std::to_array<std::string_view>({"path", "max_size"});
inline constexpr auto kTemplates = std::to_array<std::string_view>({"lifetime", "persist"});
inline constexpr auto kApi = std::to_array<std::string_view>(
    {"url", "token_file", "rate_limit", "concurrency", "timeout", "max_retry_after", "host_memory",
     "host_memory_limit", "max_age", "ca_file", "client_cert", "client_key", "send_ipv6"});
inline constexpr auto kRateLimit = std::to_array<std::string_view>({"requests", "period"});
inline constexpr auto kMetrics = std::to_array<std::string_view>({"listen"});
inline constexpr auto kLog = std::to_array<std::string_view>({"level"});
}  // namespace keys

// One map of the config file: its dotted path ("" for the top level, "[]" for
// each entry of a list) and the keys valid in it.
struct KeySection {
  std::string_view path;
  std::string_view where;  // completes "it belongs ..."
  KeyList keys;
};

// Every map of the config file, the top level first.
std::span<const KeySection> all_key_sections();

// Why `key` is not accepted where only `allowed` are: a near miss among them,
// or the section the key belongs to, or the list of valid keys.
std::string unknown_key_message(std::string_view key, KeyList allowed);

}  // namespace flowd::config_detail
