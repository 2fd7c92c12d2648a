#pragma once

#include <bitset>
#include <cstdint>

#include "onefirewall_flowd/core/packet_numbers.h"

namespace flowd {

// Which ports the built-in service table names, per port-carrying protocol:
// a bit test per port instead of a search of the table on every flow.
class NamedPorts {
 public:
  NamedPorts();
  [[nodiscard]] bool named(uint8_t protocol, uint16_t port) const {
    if (protocol == kProtoTcp) return tcp_[port];
    if (protocol == kProtoUdp) return udp_[port];
    if (protocol == kProtoSctp) return sctp_[port];
    return named_elsewhere(protocol, port);
  }

 private:
  [[nodiscard]] static bool named_elsewhere(uint8_t protocol, uint16_t port);
  std::bitset<65536> tcp_, udp_, sctp_;
};

// Built during static initialisation, before main() and any thread.
extern const NamedPorts kNamedPorts;

[[nodiscard]] inline bool is_named_port(uint8_t protocol, uint16_t port) {
  return kNamedPorts.named(protocol, port);
}

// 1: below 1024; 2: named in the service table; 3: anything else; 4: port 0.
[[nodiscard]] inline int service_port_rank(uint8_t protocol, uint16_t port) {
  if (port == 0) return 4;  // port 0 is never a real service
  if (port < 1024) return 1;
  return is_named_port(protocol, port) ? 2 : 3;
}

// Initiator-first: true when the flow runs from the responder's side, i.e.
// its source port is the better service port of the pair. Depends only on
// the ports, so both halves of a conversation agree. Inline: asked of every flow.
[[nodiscard]] inline bool is_reply(uint8_t protocol, uint16_t src_port, uint16_t dst_port) {
  if (!has_ports(protocol) || src_port == dst_port) return false;
  // Below 1024 against 1024 and up needs no table lookup: rank 1 wins.
  const bool src_low = src_port != 0 && src_port < 1024;
  const bool dst_low = dst_port != 0 && dst_port < 1024;
  if (src_low != dst_low && src_port != 0 && dst_port != 0) return src_low;
  const int src_rank = service_port_rank(protocol, src_port);
  const int dst_rank = service_port_rank(protocol, dst_port);
  if (src_rank != dst_rank) return src_rank < dst_rank;
  return src_port < dst_port;
}

}  // namespace flowd
