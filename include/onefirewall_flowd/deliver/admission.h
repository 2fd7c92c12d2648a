#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "onefirewall_flowd/core/event.h"
#include "onefirewall_flowd/core/flow_types.h"
#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// A record handed to delivery: its API body and what the delivery order needs.
struct Admission {
  std::string body;
  IpAddress host;  // the external host
  Action action = Action::kAllow;
  int64_t admitted_ms = 0;  // Unix time in ms
};

// The address outside the perimeter: the source of inbound traffic, the
// destination of outbound.
[[nodiscard]] inline const IpAddress& external_host(const Event& event) {
  return event.direction == Direction::kInbound ? event.src_ip : event.dst_ip;
}

[[nodiscard]] inline int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The spool's key for a host: 4 bytes for IPv4, 16 for IPv6.
[[nodiscard]] std::string host_key(const IpAddress& address);
// The address a host key stands for; "" (a record whose body could not be read) gives "unknown".
[[nodiscard]] std::string host_text(const std::string& key);

}  // namespace flowd
