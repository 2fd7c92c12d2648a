#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onefirewall_flowd/core/flow_types.h"
#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// A "host:port" or "[v6]:port" endpoint as written in the config.
struct Endpoint {
  IpAddress address;
  uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

// Settings an exporter inherits from exporters.defaults unless it sets them.
struct ExporterPolicy {
  std::vector<Cidr> internal_networks;
  std::vector<uint32_t> outside_interfaces;
  Action default_action = Action::kAllow;
  bool output_interface_zero_is_deny = false;
  // outside_interfaces given by name: resolved through the names the exporter announces.
  std::vector<std::string> outside_interface_names;
  bool operator==(const ExporterPolicy&) const = default;
};

struct ExporterConfig {
  Cidr address;                                // a single address is a /32 or /128
  std::optional<uint32_t> observation_domain;  // narrows the match when set
  std::string name;
  ExporterPolicy policy;
  bool operator==(const ExporterConfig&) const = default;
};

struct ServiceOverride {
  std::optional<IpAddress> address;  // when set, only flows to this responder
  uint16_t port = 0;
  std::optional<uint8_t> protocol;  // IANA protocol number; unset means any
  std::string name;
  bool operator==(const ServiceOverride&) const = default;
};

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kCritical, kOff };

// "trace", "debug", "info", "warn", "error", "critical", "off" (spdlog's names).
[[nodiscard]] std::string_view to_string(LogLevel level);
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view text);

struct ApiConfig {
  std::string url = "https://app.onefirewall.com/api/v1/poc_traffic/direct";
  std::string token_file = "/etc/onefirewall-flowd/token";
  uint32_t rate_limit_requests = 150;
  std::chrono::milliseconds rate_limit_period{10'000};
  uint32_t concurrency = 8;  // 15 requests/s needs > 4 in flight when the API answers in 300 ms
  std::chrono::milliseconds timeout{10'000};
  // The longest a 429's Retry-After may stop delivery.
  std::chrono::milliseconds max_retry_after{300'000};
  std::chrono::milliseconds host_memory{86'400'000};  // a host delivered within it counts as reported
  uint64_t host_memory_limit = 1'000'000;             // reported hosts the spool database remembers
  std::chrono::milliseconds max_age{86'400'000};      // older waiting records are dropped; 0 = never
  std::string ca_file;
  std::string client_cert;  // PEM certificate for mutual TLS; "" for none
  std::string client_key;   // its PEM private key
  bool send_ipv6 = false;
  bool operator==(const ApiConfig&) const = default;
};

// The whole daemon configuration, validated. Defaults match DESIGN.md.
struct Config {
  std::string source_file;

  std::vector<Endpoint> listen;
  std::vector<Endpoint> listen_tcp;               // IPFIX over TCP; empty = no TCP listener
  uint32_t workers = 0;                           // 0 = one per core but one (worker_count)
  uint64_t receive_buffer = 32ull * 1024 * 1024;  // bytes

  bool accept_unknown_exporters = true;
  ExporterPolicy exporter_defaults;
  std::vector<ExporterConfig> exporters;
  std::chrono::milliseconds exporter_silent_after{300'000};  // a listed exporter quiet this long is silent

  std::vector<ServiceOverride> service_overrides;

  std::chrono::milliseconds reduce_window{3'600'000};  // 0 = off
  uint64_t reduce_capacity = 1'000'000;                // conversations remembered

  uint64_t queue_capacity = 100'000;

  std::string spool_path = "/var/lib/onefirewall-flowd";
  uint64_t spool_max_size = 1ull << 30;

  std::chrono::milliseconds template_lifetime{1'800'000};
  bool templates_persist = true;

  ApiConfig api;

  Endpoint metrics_listen;  // 127.0.0.1:9740 by default
  LogLevel log_level = LogLevel::kInfo;

  // The built-in internal networks of DESIGN.md.
  static std::vector<Cidr> default_internal_networks();
  // A config with every default applied and the default listen endpoints.
  static Config defaults();

  // Compares every setting, source_file included (e.g. to see what a reload changes).
  bool operator==(const Config&) const = default;
};

}  // namespace flowd
