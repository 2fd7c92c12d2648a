#include <gtest/gtest.h>

#include <random>

#include "onefirewall_flowd/enrich/exporter_table.h"
#include "onefirewall_flowd/enrich/prefix_trie.h"

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

// The v4 ranges answer as the trie does, over random overlapping prefix sets.
TEST(CompiledPolicy, V4RangesAgreeWithThePrefixTrie) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    ExporterPolicy spec;
    const int count = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < count; ++i) {
      // Few distinct high bits, so prefixes overlap and touch.
      const uint32_t base = (rng() % 4) << 30 | (rng() % 8) << 24 | (rng() & 0xffffff);
      spec.internal_networks.push_back(Cidr{IpAddress::from_v4(base), static_cast<uint8_t>(rng() % 33)});
    }
    const CompiledPolicy p(spec);
    PrefixTrie<bool> reference;
    for (const Cidr& c : spec.internal_networks) reference.insert(c, true);
    for (int probe = 0; probe < 2000; ++probe) {
      const uint32_t a = (rng() % 4) << 30 | (rng() % 8) << 24 | (rng() & 0xffffff);
      const IpAddress address = IpAddress::from_v4(a);
      ASSERT_EQ(p.is_internal(address), reference.contains(address)) << address.to_string();
    }
  }
}

}  // namespace
}  // namespace flowd
