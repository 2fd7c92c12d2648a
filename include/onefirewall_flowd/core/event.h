#pragma once

#include <cstdint>
#include <string>

#include "onefirewall_flowd/core/flow_types.h"
#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// One API record: the eight fields of the NetFlow Security Analysis body,
// plus the protocol that the conversation key needs.
struct Event {
  std::string firewall;
  Direction direction = Direction::kInbound;
  IpAddress src_ip;
  IpAddress dst_ip;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint8_t protocol = 0;
  std::string service;
  Action action = Action::kAllow;

  bool operator==(const Event&) const = default;
};

}  // namespace flowd
