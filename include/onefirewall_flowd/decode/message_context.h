#pragma once

#include <chrono>
#include <cstdint>

#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {

// What a data record needs from the message header that carried it.
struct MessageContext {
  IpAddress exporter;
  uint32_t domain = 0;  // v9 source_id or IPFIX observation domain
  Dialect dialect = Dialect::kIpfix;
  int64_t export_ms = 0;       // header export time, Unix epoch milliseconds
  uint32_t sys_uptime_ms = 0;  // v9 only: exporter uptime at export
  std::chrono::system_clock::time_point received;
};

}  // namespace flowd
