#include "onefirewall_flowd/enrich/ipv4_range_set.h"

#include <gtest/gtest.h>

#include <random>

#include "onefirewall_flowd/enrich/prefix_trie.h"

namespace flowd {
namespace {

Ipv4RangeSet set_of(const std::vector<const char*>& networks) {
  std::vector<Cidr> cidrs;
  for (const char* n : networks) cidrs.push_back(*Cidr::parse(n));
  return Ipv4RangeSet(cidrs);
}

uint32_t v4(const char* text) {
  return IpAddress::parse(text)->v4();
}

TEST(Ipv4RangeSet, WholeOctetsAnswerWithoutTheRanges) {
  const auto set = set_of({"10.0.0.0/8", "20.0.0.0/7"});
  EXPECT_TRUE(set.contains(v4("10.0.0.0")));
  EXPECT_TRUE(set.contains(v4("10.255.255.255")));
  EXPECT_TRUE(set.contains(v4("21.128.0.1")));
  EXPECT_FALSE(set.contains(v4("9.255.255.255")));
  EXPECT_FALSE(set.contains(v4("11.0.0.0")));
  EXPECT_FALSE(set.contains(v4("22.0.0.0")));
}

TEST(Ipv4RangeSet, SplitOctetsFallBackToTheRanges) {
  const auto set = set_of({"172.16.0.0/12", "192.168.1.0/24", "192.168.1.128/25"});
  EXPECT_TRUE(set.contains(v4("172.16.0.0")));
  EXPECT_TRUE(set.contains(v4("172.31.255.255")));
  EXPECT_FALSE(set.contains(v4("172.15.255.255")));
  EXPECT_FALSE(set.contains(v4("172.32.0.0")));
  EXPECT_TRUE(set.contains(v4("192.168.1.255")));
  EXPECT_FALSE(set.contains(v4("192.168.2.0")));
  EXPECT_EQ(set.ranges().size(), 2u);  // the /25 merged into its /24
}

TEST(Ipv4RangeSet, RangeEndingMidOctetSplitsBothEnds) {
  const auto set = set_of({"10.128.0.0/9", "11.0.0.0/9"});  // 10.128.0.0 .. 11.127.255.255, merged
  EXPECT_FALSE(set.contains(v4("10.127.255.255")));
  EXPECT_TRUE(set.contains(v4("10.128.0.0")));
  EXPECT_TRUE(set.contains(v4("11.127.255.255")));
  EXPECT_FALSE(set.contains(v4("11.128.0.0")));
}

TEST(Ipv4RangeSet, SlashZeroAndEmpty) {
  EXPECT_TRUE(set_of({"0.0.0.0/0"}).contains(0));
  EXPECT_TRUE(set_of({"0.0.0.0/0"}).contains(0xffffffffu));
  EXPECT_FALSE(set_of({}).contains(v4("10.0.0.1")));
  EXPECT_FALSE(set_of({"2001:db8::/32"}).contains(v4("32.1.13.184")));  // IPv6 networks are skipped
}

// Random overlapping sets, probed at random and at every first octet's edges,
// answer as a prefix trie of the same networks does.
TEST(Ipv4RangeSet, AgreesWithThePrefixTrie) {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::vector<Cidr> networks;
    const int count = static_cast<int>(rng() % 14);
    for (int i = 0; i < count; ++i) {
      const uint32_t base = (rng() % 4) << 30 | (rng() % 8) << 24 | (rng() & 0xffffff);
      networks.push_back(Cidr{IpAddress::from_v4(base), static_cast<uint8_t>(rng() % 33)});
    }
    const Ipv4RangeSet set(networks);
    PrefixTrie<bool> reference;
    for (const Cidr& c : networks) reference.insert(c, true);
    const auto agrees = [&](uint32_t a) {
      return set.contains(a) == reference.contains(IpAddress::from_v4(a));
    };
    for (uint32_t octet = 0; octet < 256; ++octet) {
      ASSERT_TRUE(agrees(octet << 24)) << octet;
      ASSERT_TRUE(agrees(octet << 24 | 0xffffffu)) << octet;
    }
    for (const auto& [first, last] : set.ranges()) {
      for (const uint32_t a : {first - 1, first, last, last + 1}) ASSERT_TRUE(agrees(a)) << a;
    }
    for (int probe = 0; probe < 1000; ++probe) {
      const uint32_t a = (rng() % 4) << 30 | (rng() % 8) << 24 | (rng() & 0xffffff);
      ASSERT_TRUE(agrees(a)) << a;
    }
  }
}

}  // namespace
}  // namespace flowd
