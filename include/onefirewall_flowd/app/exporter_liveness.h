#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "onefirewall_flowd/app/exporter_series.h"
#include "onefirewall_flowd/config/config.h"

namespace flowd {

[[nodiscard]] int64_t unix_seconds_now();

// When a listed exporter (exporters.list) was last heard from.
struct ListedExporterLiveness {
  std::string name;
  std::string address;     // as listed: an address or a CIDR
  int64_t last_heard = 0;  // Unix seconds; 0 when never heard since the start
  bool silent = false;     // nothing heard for longer than exporters.silent_after
};

// One entry per listed exporter, heard when any address it covers sent a
// datagram. One never heard counts as silent once the daemon has run longer
// than silent_after.
[[nodiscard]] std::vector<ListedExporterLiveness> listed_exporter_liveness(
    const std::vector<ExporterConfig>& listed, const std::map<IpAddress, ExporterCounts>& heard,
    int64_t now_s, int64_t started_s, std::chrono::milliseconds silent_after);

// "edge-fw-2 (10.0.0.2) never heard, core (10.1.0.1) silent 400 s" for the silent ones; "" when none.
[[nodiscard]] std::string describe_silent(const std::vector<ListedExporterLiveness>& liveness, int64_t now_s);

}  // namespace flowd
