#include <gtest/gtest.h>

#include "onefirewall_flowd/enrich/exporter_table.h"

namespace flowd {
namespace {

CompiledPolicy policy_of(const std::vector<const char*>& networks) {
  ExporterPolicy p;
  for (const char* n : networks) p.internal_networks.push_back(*Cidr::parse(n));
  return CompiledPolicy(p);
}

TEST(CompiledPolicy, MergedV4RangesHoldTheirEdges) {
  const auto p = policy_of({"10.0.0.0/8", "11.0.0.0/8", "192.168.1.0/24", "192.168.1.128/25", "0.0.0.5/32"});
  EXPECT_TRUE(p.is_internal(*IpAddress::parse("10.0.0.0")));
  EXPECT_TRUE(p.is_internal(*IpAddress::parse("11.255.255.255")));  // adjacent /8s merged
  EXPECT_FALSE(p.is_internal(*IpAddress::parse("12.0.0.0")));
  EXPECT_FALSE(p.is_internal(*IpAddress::parse("9.255.255.255")));
  EXPECT_TRUE(p.is_internal(*IpAddress::parse("192.168.1.255")));
  EXPECT_FALSE(p.is_internal(*IpAddress::parse("192.168.2.0")));
  EXPECT_TRUE(p.is_internal(*IpAddress::parse("0.0.0.5")));
  EXPECT_FALSE(p.is_internal(*IpAddress::parse("0.0.0.4")));
}

TEST(CompiledPolicy, SlashZeroHoldsEveryV4AddressButNoV6) {
  const auto p = policy_of({"0.0.0.0/0"});
  EXPECT_TRUE(p.is_internal(*IpAddress::parse("0.0.0.0")));
  EXPECT_TRUE(p.is_internal(*IpAddress::parse("255.255.255.255")));
  EXPECT_FALSE(p.is_internal(*IpAddress::parse("2001:db8::1")));
}

TEST(CompiledPolicy, V6StillUsesItsOwnPrefixes) {
  const auto p = policy_of({"10.0.0.0/8", "2001:db8::/32"});
  EXPECT_TRUE(p.is_internal(*IpAddress::parse("2001:db8:1::1")));
  EXPECT_FALSE(p.is_internal(*IpAddress::parse("2001:db9::1")));
}

}  // namespace
}  // namespace flowd
