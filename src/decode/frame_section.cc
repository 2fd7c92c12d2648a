#include "onefirewall_flowd/decode/frame_section.h"

#include <array>

#include "onefirewall_flowd/core/packet_numbers.h"
#include "onefirewall_flowd/decode/byte_reader.h"

namespace flowd {
namespace {

// Tunnels, MPLS stacks and VLAN tags nested deeper than this are not followed:
// a crafted frame cannot make the walk long.
constexpr int kMaxDepth = 8;

std::optional<FrameKey> read_ip(ByteReader r, int depth);

void read_ports(ByteReader r, FrameKey& key) {
  if (!has_ports(key.protocol)) return;
  uint16_t src = 0, dst = 0;
  if (!r.read_u16(src) || !r.read_u16(dst)) return;
  key.src_port = src;
  key.dst_port = dst;
  uint8_t flags = 0;
  if (key.protocol == kProtoTcp && r.skip(9) && r.read_u8(flags)) key.tcp_flags = flags;
}

// The key of this IP packet, or of the one it tunnels.
std::optional<FrameKey> finish_ip(ByteReader r, FrameKey key, bool first_fragment, int depth) {
  if (key.protocol == kProtoIpv4InIp || key.protocol == kProtoIpv6InIp) {
    if (!first_fragment) return key;
    if (auto inner = read_ip(r, depth + 1)) return inner;
    return key;
  }
  if (first_fragment) read_ports(r, key);
  return key;
}

std::optional<FrameKey> read_ipv4(ByteReader r, int depth) {
  uint8_t version_ihl = 0, protocol = 0;
  uint16_t fragment = 0;
  uint32_t src = 0, dst = 0;
  if (!r.read_u8(version_ihl) || !r.skip(5) || !r.read_u16(fragment) || !r.skip(1) || !r.read_u8(protocol) ||
      !r.skip(2) || !r.read_u32(src) || !r.read_u32(dst)) {
    return std::nullopt;
  }
  const size_t header = size_t{version_ihl & 0x0fu} * 4;
  if (header < 20) return std::nullopt;
  FrameKey key;
  key.src_addr = IpAddress::from_v4(src);
  key.dst_addr = IpAddress::from_v4(dst);
  key.protocol = protocol;
  const bool first_fragment = (fragment & 0x1fff) == 0;
  if (!r.skip(header - 20)) return key;  // options cut off: the addresses stand
  return finish_ip(r, key, first_fragment, depth);
}

std::optional<FrameKey> read_ipv6(ByteReader r, int depth) {
  uint8_t next = 0;
  std::array<uint8_t, 16> src{}, dst{};
  if (!r.skip(6) || !r.read_u8(next) || !r.skip(1) || !r.read_bytes(src) || !r.read_bytes(dst)) {
    return std::nullopt;
  }
  FrameKey key;
  key.src_addr = IpAddress::from_v6(src);
  key.dst_addr = IpAddress::from_v6(dst);
  bool first_fragment = true;
  // Hop-by-hop, routing (SRv6 segments included), fragment and destination options.
  for (int n = 0; (next == 0 || next == 43 || next == 44 || next == 60) && n < kMaxDepth; ++n) {
    uint8_t following = 0, units = 0;
    uint16_t offset = 0;
    if (next == 44) {
      if (!r.read_u8(following) || !r.skip(1) || !r.read_u16(offset) || !r.skip(4)) break;
      first_fragment = (offset >> 3) == 0;
    } else if (!r.read_u8(following) || !r.read_u8(units) || !r.skip(6 + size_t{units} * 8)) {
      break;
    }
    next = following;
  }
  key.protocol = next;
  return finish_ip(r, key, first_fragment, depth);
}

std::optional<FrameKey> read_ip(ByteReader r, int depth) {
  ByteReader peek = r;
  uint8_t first = 0;
  if (depth > kMaxDepth || !peek.read_u8(first)) return std::nullopt;
  if ((first >> 4) == 4) return read_ipv4(r, depth);
  if ((first >> 4) == 6) return read_ipv6(r, depth);
  return std::nullopt;
}

std::optional<FrameKey> read_ethernet(ByteReader r, int depth);

// An MPLS label stack, then IP by its version nibble, or a pseudowire: the
// control word (first nibble 0) and Ethernet.
std::optional<FrameKey> read_mpls(ByteReader r, int depth) {
  uint32_t label = 0;
  for (int n = 0; n < kMaxDepth; ++n) {
    if (!r.read_u32(label)) return std::nullopt;
    if ((label & 0x100) != 0) break;  // bottom of stack
  }
  if ((label & 0x100) == 0) return std::nullopt;
  ByteReader peek = r;
  uint8_t first = 0;
  if (!peek.read_u8(first)) return std::nullopt;
  if ((first >> 4) == 4 || (first >> 4) == 6) return read_ip(r, depth + 1);
  if ((first >> 4) == 0 && r.skip(4)) return read_ethernet(r, depth + 1);
  return std::nullopt;
}

std::optional<FrameKey> read_ethernet(ByteReader r, int depth) {
  uint16_t ethertype = 0;
  if (depth > kMaxDepth || !r.skip(12) || !r.read_u16(ethertype)) return std::nullopt;
  for (int n = 0; is_vlan_tag(ethertype) && n < kMaxDepth; ++n) {
    if (!r.skip(2) || !r.read_u16(ethertype)) return std::nullopt;
  }
  switch (ethertype) {
    case kEtherIpv4:
    case kEtherIpv6: return read_ip(r, depth + 1);
    case kEtherMpls:
    case kEtherMplsMulticast: return read_mpls(r, depth + 1);
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<FrameKey> read_frame_section(std::span<const uint8_t> frame) {
  return read_ethernet(ByteReader(frame), 0);
}

}  // namespace flowd
