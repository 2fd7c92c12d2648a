#include "onefirewall_flowd/decode/frame_section.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hex.h"

namespace flowd {
namespace {

const std::string kMacs = "02000000000a 02000000000b";
const std::string kIpv4Tcp =
    "4500 0028 0001 0000 4006 0000 c0000201 c6336401"   // 192.0.2.1 > 198.51.100.1, TCP
    "01bb d431 00000001 00000000 5012 ffff 0000 0000";  // 443 > 54321, SYN+ACK+... flags 0x12
const std::string kIpv6UdpHeader =
    "6000 0000 0010 11 40"                       // UDP
    "20010db8000000000000000000000001"           // 2001:db8::1
    "20010db8000000000000000000000002";          // 2001:db8::2
const std::string kUdp = "0035 03e8 0010 0000";  // 53 > 1000

std::string key_of(const std::string& annotated) {
  const auto bytes = test::hex(annotated);
  const auto key = read_frame_section(bytes);
  if (!key) return "none";
  return key->src_addr.to_string() + " > " + key->dst_addr.to_string() + " " + std::to_string(key->protocol) +
         " " + std::to_string(key->src_port) + ">" + std::to_string(key->dst_port) + " flags " +
         std::to_string(key->tcp_flags);
}

TEST(FrameSection, EthernetIpv4Tcp) {
  EXPECT_EQ(key_of(kMacs + " 0800 " + kIpv4Tcp), "192.0.2.1 > 198.51.100.1 6 443>54321 flags 18");
}

TEST(FrameSection, StackedVlanTagsThenIpv6Udp) {
  EXPECT_EQ(key_of(kMacs + " 88a8 0064 8100 00c8 86dd " + kIpv6UdpHeader + kUdp),
            "2001:db8::1 > 2001:db8::2 17 53>1000 flags 0");
}

TEST(FrameSection, Ipv6ExtensionHeadersAreSteppedOver) {
  // Hop-by-hop (8 bytes), then a routing header with one 16-byte segment, then UDP.
  const std::string header =
      "6000 0000 0030 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002";
  EXPECT_EQ(key_of(kMacs + " 86dd " + header + " 2b00 0000 00000000  1102 0401 00000000" +
                   " 20010db8000000000000000000000009 " + kUdp),
            "2001:db8::1 > 2001:db8::2 17 53>1000 flags 0");
}

TEST(FrameSection, LaterFragmentsHaveNoPorts) {
  // Fragment offset 185 (x8 bytes): the bytes after the header are not the TCP header.
  std::string later = kIpv4Tcp;
  later.replace(later.find("0000 4006"), 4, "00b9");
  EXPECT_EQ(key_of(kMacs + " 0800 " + later), "192.0.2.1 > 198.51.100.1 6 0>0 flags 0");
  const std::string v6_fragment =
      "6000 0000 0018 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
      "1100 05c8 00000001";  // UDP, offset 185
  EXPECT_EQ(key_of(kMacs + " 86dd " + v6_fragment + kUdp), "2001:db8::1 > 2001:db8::2 17 0>0 flags 0");
}

TEST(FrameSection, MplsLabelStackThenIp) {
  EXPECT_EQ(key_of(kMacs + " 8847 0001e0ff 000111ff " + kIpv4Tcp),
            "192.0.2.1 > 198.51.100.1 6 443>54321 flags 18");
}

TEST(FrameSection, MplsPseudowireWithControlWordThenEthernet) {
  EXPECT_EQ(key_of(kMacs + " 8847 000111ff 00000000 " + kMacs + " 86dd " + kIpv6UdpHeader + kUdp),
            "2001:db8::1 > 2001:db8::2 17 53>1000 flags 0");
}

TEST(FrameSection, IpInIpGivesTheInnerPacket) {
  const std::string outer_v6 =
      "6000 0000 0028 04 40 fc300000000000000000000000000001 fc300000000000000000000000000002";
  EXPECT_EQ(key_of(kMacs + " 86dd " + outer_v6 + kIpv4Tcp), "192.0.2.1 > 198.51.100.1 6 443>54321 flags 18");
  const std::string outer_v4 = "4500 0050 0001 0000 4029 0000 0a000001 0a000002";  // IPv6 in IPv4
  EXPECT_EQ(key_of(kMacs + " 0800 " + outer_v4 + kIpv6UdpHeader + kUdp),
            "2001:db8::1 > 2001:db8::2 17 53>1000 flags 0");
  // A tunnel whose inner header is cut off: the outer packet is what there is.
  EXPECT_EQ(key_of(kMacs + " 0800 " + outer_v4 + "60"), "10.0.0.1 > 10.0.0.2 41 0>0 flags 0");
}

TEST(FrameSection, WhatIsNotIpGivesNothing) {
  EXPECT_EQ(key_of(kMacs + " 0806 0001 0800 0604 0001"), "none");  // ARP
  EXPECT_EQ(key_of(kMacs + " 8847 000111ff 5a5a5a5a"), "none");    // MPLS over something else
  EXPECT_EQ(key_of(""), "none");
}

TEST(FrameSection, EveryCutOfAFrameIsSafeAndKeepsOnlyWhatItHolds) {
  const auto full = test::hex(kMacs + " 8100 0064 0800 " + kIpv4Tcp);
  const size_t addresses_end = 18 + 20;  // Ethernet + tag, then the IPv4 header
  for (size_t n = 0; n <= full.size(); ++n) {
    SCOPED_TRACE(n);
    const auto key = read_frame_section(std::span(full).first(n));
    if (n < addresses_end) {
      EXPECT_FALSE(key.has_value());
      continue;
    }
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->src_addr.to_string(), "192.0.2.1");
    EXPECT_EQ(key->src_port, n >= addresses_end + 4 ? 443 : 0);
  }
}

TEST(FrameSection, DeepNestingEnds) {
  std::string tags;
  for (int i = 0; i < 64; ++i) tags += " 8100 0001";
  EXPECT_EQ(key_of(kMacs + tags + " 0800 " + kIpv4Tcp), "none");
  std::string labels;
  for (int i = 0; i < 64; ++i) labels += " 0001e0ff";
  EXPECT_EQ(key_of(kMacs + " 8847" + labels + " 000111ff " + kIpv4Tcp), "none");
  // 40 IPv4-in-IPv4 headers: the walk stops at its depth, keeping a tunnel's key.
  std::string nested;
  for (int i = 0; i < 40; ++i) nested += "4500 0000 0001 0000 4004 0000 0a000001 0a000002 ";
  EXPECT_EQ(key_of(kMacs + " 0800 " + nested + kIpv4Tcp), "10.0.0.1 > 10.0.0.2 4 0>0 flags 0");
}

}  // namespace
}  // namespace flowd
