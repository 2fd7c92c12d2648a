#include "onefirewall_flowd/reduce/fingerprint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace flowd {
namespace {

constexpr uint32_t kKeys = 1u << 20;

Event base() {
  Event e;
  e.firewall = "edge-fw-1";
  e.direction = Direction::kOutbound;
  e.src_ip = IpAddress::from_v4(0x0a000000u);
  e.dst_ip = IpAddress::from_v4(0xc6336407u);
  e.dst_port = 443;
  e.protocol = 6;
  return e;
}

uint64_t fingerprint(const Event& e) {
  return conversation_fingerprint(std::hash<std::string>{}(e.firewall) | 1, e);
}

// Pairs of fingerprints that agree on the bits selected by mask.
uint64_t colliding_pairs(const std::vector<uint64_t>& fingerprints, uint64_t mask) {
  std::vector<uint64_t> masked(fingerprints.size());
  std::transform(fingerprints.begin(), fingerprints.end(), masked.begin(),
                 [mask](uint64_t f) { return f & mask; });
  std::sort(masked.begin(), masked.end());
  uint64_t pairs = 0, run = 0;
  for (size_t i = 1; i < masked.size(); ++i) {
    run = masked[i] == masked[i - 1] ? run + 1 : 0;
    pairs += run;
  }
  return pairs;
}

// Structured key sets must collide as often as random 64-bit values would: not
// at all on 64 bits, and by the birthday count on the low bits (the table index),
// the high bits and the low 24 bits, within six standard deviations.
void expect_random_like(const std::function<Event(uint32_t)>& key) {
  std::vector<uint64_t> fingerprints(kKeys);
  for (uint32_t i = 0; i < kKeys; ++i) fingerprints[i] = fingerprint(key(i));
  EXPECT_EQ(std::count(fingerprints.begin(), fingerprints.end(), 0u), 0);
  EXPECT_EQ(colliding_pairs(fingerprints, ~uint64_t{0}), 0u);
  const double all_pairs = double{kKeys} * (kKeys - 1) / 2;
  for (const auto& [mask, bits] :
       {std::pair{0xffffffffull, 32}, {0xffffffff00000000ull, 32}, {0xffffffull, 24}}) {
    const double expected = all_pairs / std::ldexp(1.0, bits);
    const double seen = static_cast<double>(colliding_pairs(fingerprints, mask));
    EXPECT_NEAR(seen, expected, 6 * std::sqrt(expected)) << "mask " << std::hex << mask;
  }
}

TEST(ConversationFingerprint, ConsecutiveSources) {
  expect_random_like([](uint32_t i) {
    Event e = base();
    e.src_ip = IpAddress::from_v4(0x0a000000u + i);
    return e;
  });
}

TEST(ConversationFingerprint, SourcesTimesDestinations) {
  expect_random_like([](uint32_t i) {
    Event e = base();
    e.src_ip = IpAddress::from_v4(0xc0a80000u + (i & 1023));
    e.dst_ip = IpAddress::from_v4(0xc6336400u + (i >> 10));
    return e;
  });
}

// Ports, protocol, direction and action: every field of the packed word.
TEST(ConversationFingerprint, ServiceFields) {
  expect_random_like([](uint32_t i) {
    Event e = base();
    e.dst_port = static_cast<uint16_t>(i);
    e.protocol = (i >> 16) & 1 ? 17 : 6;
    e.direction = (i >> 17) & 1 ? Direction::kInbound : Direction::kOutbound;
    e.action = (i >> 18) & 1 ? Action::kDeny : Action::kAllow;
    e.src_ip = IpAddress::from_v4(0x0a000000u + (i >> 19));
    return e;
  });
}

TEST(ConversationFingerprint, Ipv6PrefixesAndInterfaces) {
  expect_random_like([](uint32_t i) {
    std::array<uint8_t, 16> bytes{0x20, 0x01, 0x0d, 0xb8};
    bytes[6] = static_cast<uint8_t>(i >> 12);
    bytes[7] = static_cast<uint8_t>(i >> 4);
    bytes[15] = static_cast<uint8_t>(i & 15);
    Event e = base();
    e.src_ip = IpAddress::from_v6(bytes);
    std::swap(bytes[6], bytes[15]);
    e.dst_ip = IpAddress::from_v6(bytes);
    return e;
  });
}

TEST(ConversationFingerprint, FirewallsTimesDestinations) {
  expect_random_like([](uint32_t i) {
    Event e = base();
    e.firewall = "fw-" + std::to_string(i >> 8);
    e.dst_ip = IpAddress::from_v4(0xc6336400u + (i & 255));
    return e;
  });
}

TEST(ConversationFingerprint, SwappedAddressesDiffer) {
  Event e = base();
  const uint64_t forward = fingerprint(e);
  std::swap(e.src_ip, e.dst_ip);
  EXPECT_NE(fingerprint(e), forward);
}

}  // namespace
}  // namespace flowd
