#include "onefirewall_flowd/core/ip_address.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

TEST(IpAddress, ParsesAndPrintsV4) {
  auto a = IpAddress::parse("192.0.2.10");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->v4(), 0xC000020Au);
  EXPECT_EQ(a->to_string(), "192.0.2.10");
}

TEST(IpAddress, ParsesAndPrintsV6) {
  auto a = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->is_v4());
  EXPECT_EQ(a->to_string(), "2001:db8::1");
}

TEST(IpAddress, RejectsGarbage) {
  EXPECT_FALSE(IpAddress::parse(""));
  EXPECT_FALSE(IpAddress::parse("300.1.1.1"));
  EXPECT_FALSE(IpAddress::parse("example.com"));
  EXPECT_FALSE(IpAddress::parse(std::string(100, '1')));
}

TEST(Cidr, MatchesV4Prefixes) {
  auto c = Cidr::parse("10.0.0.0/8");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->contains(*IpAddress::parse("10.255.1.2")));
  EXPECT_FALSE(c->contains(*IpAddress::parse("11.0.0.1")));
  EXPECT_FALSE(c->contains(*IpAddress::parse("::ffff:0:0")));
  auto odd = Cidr::parse("172.16.0.0/12");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->contains(*IpAddress::parse("172.31.255.255")));
  EXPECT_FALSE(odd->contains(*IpAddress::parse("172.32.0.0")));
}

TEST(Cidr, MatchesV6PrefixesAndNotV4) {
  auto c = Cidr::parse("fc00::/7");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->contains(*IpAddress::parse("fd12::1")));
  EXPECT_FALSE(c->contains(*IpAddress::parse("fe80::1")));
  EXPECT_FALSE(c->contains(*IpAddress::parse("10.0.0.1")));
}

TEST(Cidr, SingleAddressIsHostPrefix) {
  auto c = Cidr::parse("192.0.2.1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->length, 32);
  EXPECT_TRUE(c->contains(*IpAddress::parse("192.0.2.1")));
  EXPECT_FALSE(c->contains(*IpAddress::parse("192.0.2.2")));
}

TEST(Cidr, ZeroLengthMatchesWholeFamily) {
  auto c = Cidr::parse("0.0.0.0/0");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->contains(*IpAddress::parse("8.8.8.8")));
  EXPECT_FALSE(c->contains(*IpAddress::parse("2001:db8::1")));
}

TEST(Cidr, RejectsBadLengthsAndHostBits) {
  EXPECT_FALSE(Cidr::parse("10.0.0.0/33"));
  EXPECT_FALSE(Cidr::parse("10.0.0.0/"));
  EXPECT_FALSE(Cidr::parse("10.0.0.0/8x"));
  EXPECT_FALSE(Cidr::parse("10.0.0.1/8"));
  EXPECT_FALSE(Cidr::parse("2001:db8::/129"));
}

}  // namespace
}  // namespace flowd
