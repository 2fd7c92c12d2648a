#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onefirewall_flowd/app/prometheus_text.h"
#include "onefirewall_flowd/config/config.h"

namespace flowd {

struct ExporterStatus {
  std::string name;     // the listed name, else the address
  std::string address;  // the sender's address, or the listed one when never heard
  bool listed = false;
  double flows_per_second = 0;
  int64_t last_heard = 0;  // Unix seconds; 0 never
  double sequence_loss_percent = 0;
  bool silent = false;  // listed and heard from nothing for longer than exporters.silent_after
};

// What `onefirewall-flowd status` reports, from two scrapes of /metrics.
struct StatusReport {
  std::string version;
  int64_t uptime_seconds = 0;
  std::vector<ExporterStatus> exporters;
  std::map<std::string, uint64_t> decode_errors;  // reason → count, non-zero ones
  double records_per_second = 0;                  // before reduce
  double records_passed_per_second = 0;           // after reduce
  bool dry_run = false;
  double requests_per_second = 0;
  double budget_use_percent = 0;  // of api.rate_limit
  uint64_t backlog_records = 0;
  uint64_t waiting_hosts = 0;
  double oldest_waiting_seconds = 0;
  std::string delivery_state;  // delivering, paused, unreachable, throttled; "" in a dry run
  std::string last_error;      // "" when none since the start
  int64_t last_error_at = 0;   // Unix seconds
  uint64_t dead_letters = 0;
  std::vector<std::string> problems;  // why it is degraded; empty when healthy

  [[nodiscard]] bool healthy() const { return problems.empty(); }
};

// Two scrapes `seconds` apart give the rates; the config names the listed
// exporters, exporters.silent_after and api.rate_limit. `health_reason` is
// /healthz's reason when it answered unhealthy.
struct StatusInputs {
  const PromText& first;
  const PromText& second;
  double seconds = 1;
  const Config& config;
  int64_t now = 0;  // Unix seconds
  std::optional<std::string> health_reason;
};

[[nodiscard]] StatusReport build_status_report(const StatusInputs& inputs);
[[nodiscard]] std::string render_status_text(const StatusReport& report, int64_t now);
[[nodiscard]] nlohmann::json status_json(const StatusReport& report);

}  // namespace flowd
