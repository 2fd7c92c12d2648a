#pragma once

#include <cstdint>

namespace flowd {

// IANA IP protocol numbers.
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoIpv4InIp = 4;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIpv6InIp = 41;
inline constexpr uint8_t kProtoSctp = 132;

// True for the protocols whose flows carry ports.
[[nodiscard]] inline bool has_ports(uint8_t protocol) {
  return protocol == kProtoTcp || protocol == kProtoUdp || protocol == kProtoSctp;
}

// Ethertypes.
inline constexpr uint16_t kEtherIpv4 = 0x0800;
inline constexpr uint16_t kEtherIpv6 = 0x86dd;
inline constexpr uint16_t kEtherVlan = 0x8100;
inline constexpr uint16_t kEtherQinQ = 0x88a8;
inline constexpr uint16_t kEtherQinQLegacy = 0x9100;
inline constexpr uint16_t kEtherMpls = 0x8847;
inline constexpr uint16_t kEtherMplsMulticast = 0x8848;

// 802.1Q and 802.1ad tags (and 0x9100, used for QinQ before 802.1ad).
[[nodiscard]] inline bool is_vlan_tag(uint16_t ethertype) {
  return ethertype == kEtherVlan || ethertype == kEtherQinQ || ethertype == kEtherQinQLegacy;
}

}  // namespace flowd
