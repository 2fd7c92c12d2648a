#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// The flow key of one sampled packet, read from the start of its frame.
struct FrameKey {
  IpAddress src_addr;
  IpAddress dst_addr;
  uint8_t protocol = 0;
  uint16_t src_port = 0;  // TCP, UDP and SCTP only
  uint16_t dst_port = 0;
  uint8_t tcp_flags = 0;
};

// Reads an IPFIX dataLinkFrameSection (IE 315, RFC 7133): Ethernet with any
// number of VLAN tags, then IPv4 or IPv6, possibly under an MPLS label stack
// (with or without a pseudowire control word and inner Ethernet). A packet
// tunnelled IP in IP (IPv4 or IPv6 inside either, as SRv6 carries it) gives
// the inner packet: the traffic, not the routers' tunnel. Ports need the
// first 4 bytes of the transport header and a first fragment; a frame cut
// before the addresses gives nothing.
[[nodiscard]] std::optional<FrameKey> read_frame_section(std::span<const uint8_t> frame);

}  // namespace flowd
