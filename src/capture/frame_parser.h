#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd::capture {

// The UDP payload of one captured frame, viewing the frame's bytes.
struct UdpPayload {
  IpAddress source;
  uint16_t source_port = 0;
  uint16_t destination_port = 0;
  std::span<const uint8_t> payload;
};

// True for the link types parse_frame reads.
[[nodiscard]] bool supports_link_type(int link_type);

// The UDP payload of a frame of the given libpcap link type, or nothing when
// the frame is not an unfragmented UDP datagram over IPv4 or IPv6.
[[nodiscard]] std::optional<UdpPayload> parse_frame(int link_type, std::span<const uint8_t> frame);

}  // namespace flowd::capture
