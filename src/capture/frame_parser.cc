#include "frame_parser.h"

#include <pcap/pcap.h>

#include <array>

#include "onefirewall_flowd/core/packet_numbers.h"
#include "onefirewall_flowd/decode/byte_reader.h"

namespace flowd::capture {
namespace {

constexpr int kLinkTypeLinuxSll2 = 276;

std::optional<UdpPayload> parse_udp(ByteReader& r, const IpAddress& source) {
  UdpPayload out;
  out.source = source;
  uint16_t length = 0;
  if (!r.read_u16(out.source_port) || !r.read_u16(out.destination_port) || !r.read_u16(length) ||
      !r.skip(2) || length < 8) {
    return std::nullopt;
  }
  // A snap length may have cut the payload: never read past what was captured.
  const size_t wanted = std::min<size_t>(length - 8u, r.remaining());
  if (!r.read_view(wanted, out.payload)) return std::nullopt;
  return out;
}

std::optional<UdpPayload> parse_ipv4(ByteReader r) {
  uint8_t version_ihl = 0, protocol = 0;
  uint16_t total = 0, fragment = 0;
  uint32_t source = 0;
  if (!r.read_u8(version_ihl) || !r.skip(1) || !r.read_u16(total) || !r.skip(2) || !r.read_u16(fragment) ||
      !r.skip(1) || !r.read_u8(protocol) || !r.skip(2) || !r.read_u32(source)) {
    return std::nullopt;
  }
  const size_t header = size_t{version_ihl & 0x0fu} * 4;
  const bool fragmented = (fragment & 0x3fff) != 0;  // MF set or a non-zero offset
  if ((version_ihl >> 4) != 4 || header < 20 || protocol != kProtoUdp || fragmented) return std::nullopt;
  if (!r.skip(4 + header - 20)) return std::nullopt;
  return parse_udp(r, IpAddress::from_v4(source));
}

std::optional<UdpPayload> parse_ipv6(ByteReader r) {
  uint8_t first = 0, next = 0;
  std::array<uint8_t, 16> source{};
  if (!r.read_u8(first) || !r.skip(5) || !r.read_u8(next) || !r.skip(1) || !r.read_bytes(source) ||
      !r.skip(16) || (first >> 4) != 6) {
    return std::nullopt;
  }
  // Hop-by-hop, routing and destination options headers are stepped over.
  while (next == 0 || next == 43 || next == 60) {
    uint8_t units = 0;
    if (!r.read_u8(next) || !r.read_u8(units) || !r.skip(6 + size_t{units} * 8)) return std::nullopt;
  }
  if (next != kProtoUdp) return std::nullopt;
  return parse_udp(r, IpAddress::from_v6(source));
}

std::optional<UdpPayload> parse_ip(uint16_t ethertype, ByteReader r) {
  if (ethertype == kEtherIpv4) return parse_ipv4(r);
  if (ethertype == kEtherIpv6) return parse_ipv6(r);
  return std::nullopt;
}

std::optional<UdpPayload> parse_ethernet(ByteReader r) {
  uint16_t ethertype = 0;
  if (!r.skip(12) || !r.read_u16(ethertype)) return std::nullopt;
  while (is_vlan_tag(ethertype)) {
    if (!r.skip(2) || !r.read_u16(ethertype)) return std::nullopt;
  }
  return parse_ip(ethertype, r);
}

std::optional<UdpPayload> parse_raw_ip(ByteReader r) {
  uint8_t first = 0;
  ByteReader peek = r;
  if (!peek.read_u8(first)) return std::nullopt;
  return parse_ip((first >> 4) == 6 ? kEtherIpv6 : kEtherIpv4, r);
}

}  // namespace

bool supports_link_type(int link_type) {
  switch (link_type) {
    case DLT_EN10MB:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_NULL:
    case DLT_LINUX_SLL:
    case kLinkTypeLinuxSll2: return true;
    default: return false;
  }
}

std::optional<UdpPayload> parse_frame(int link_type, std::span<const uint8_t> frame) {
  ByteReader r(frame);
  uint16_t protocol = 0;
  switch (link_type) {
    case DLT_EN10MB: return parse_ethernet(r);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6: return parse_raw_ip(r);
    case DLT_NULL: return r.skip(4) ? parse_raw_ip(r) : std::nullopt;  // host-order family word
    case DLT_LINUX_SLL:
      if (!r.skip(14) || !r.read_u16(protocol)) return std::nullopt;
      return parse_ip(protocol, r);
    case kLinkTypeLinuxSll2:
      if (!r.read_u16(protocol) || !r.skip(18)) return std::nullopt;
      return parse_ip(protocol, r);
    default: return std::nullopt;
  }
}

}  // namespace flowd::capture
