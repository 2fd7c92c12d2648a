#include "onefirewall_flowd/enrich/prefix_trie.h"

#include <gtest/gtest.h>

#include <string>

namespace flowd {
namespace {

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}
Cidr cidr(const char* text) {
  return *Cidr::parse(text);
}

std::vector<std::string> matches(const PrefixTrie<std::string>& trie, const char* address) {
  std::vector<std::string> out;
  trie.for_each_match(ip(address), [&](const std::vector<std::string>& values) {
    out.insert(out.end(), values.begin(), values.end());
  });
  return out;
}

TEST(PrefixTrie, VisitsMatchesShortestFirst) {
  PrefixTrie<std::string> trie;
  trie.insert(cidr("10.0.0.0/8"), "eight");
  trie.insert(cidr("10.1.0.0/16"), "sixteen");
  trie.insert(cidr("10.1.2.3"), "host");
  trie.insert(cidr("11.0.0.0/8"), "other");
  EXPECT_EQ(matches(trie, "10.1.2.3"), (std::vector<std::string>{"eight", "sixteen", "host"}));
  EXPECT_EQ(matches(trie, "10.1.9.9"), (std::vector<std::string>{"eight", "sixteen"}));
  EXPECT_EQ(matches(trie, "10.2.0.1"), (std::vector<std::string>{"eight"}));
  EXPECT_TRUE(matches(trie, "12.0.0.1").empty());
}

TEST(PrefixTrie, KeepsEveryValueOfOnePrefix) {
  PrefixTrie<std::string> trie;
  trie.insert(cidr("192.0.2.1"), "a");
  trie.insert(cidr("192.0.2.1"), "b");
  EXPECT_EQ(matches(trie, "192.0.2.1"), (std::vector<std::string>{"a", "b"}));
}

TEST(PrefixTrie, FamiliesNeverMatchEachOther) {
  PrefixTrie<std::string> trie;
  trie.insert(cidr("::/0"), "all-v6");
  trie.insert(cidr("0.0.0.0/0"), "all-v4");
  EXPECT_EQ(matches(trie, "8.8.8.8"), (std::vector<std::string>{"all-v4"}));
  EXPECT_EQ(matches(trie, "2001:db8::1"), (std::vector<std::string>{"all-v6"}));
  EXPECT_EQ(matches(trie, "::ffff:8.8.8.8"), (std::vector<std::string>{"all-v4"}));
}

TEST(PrefixTrie, ContainsAgreesWithCidrForTheDefaultNetworks) {
  PrefixTrie<bool> trie;
  const std::vector<Cidr> networks = {cidr("10.0.0.0/8"),    cidr("172.16.0.0/12"), cidr("192.168.0.0/16"),
                                      cidr("100.64.0.0/10"), cidr("fc00::/7"),      cidr("fe80::/10")};
  for (const auto& n : networks) trie.insert(n, true);
  for (const char* a : {"10.255.255.255", "172.31.0.1", "172.32.0.1", "100.127.255.254", "100.128.0.1",
                        "192.169.0.1", "fd00::1", "fe80::1", "fec0::1", "2001:db8::1", "8.8.8.8"}) {
    const bool expected =
        std::any_of(networks.begin(), networks.end(), [&](const Cidr& c) { return c.contains(ip(a)); });
    EXPECT_EQ(trie.contains(ip(a)), expected) << a;
  }
}

TEST(PrefixTrie, EmptyTrieMatchesNothing) {
  PrefixTrie<bool> trie;
  EXPECT_TRUE(trie.empty());
  EXPECT_FALSE(trie.contains(ip("10.0.0.1")));
  trie.insert(cidr("10.0.0.0/8"), true);
  EXPECT_FALSE(trie.empty());
}

}  // namespace
}  // namespace flowd
