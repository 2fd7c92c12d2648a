#include "onefirewall_flowd/enrich/orientation.h"

#include <gtest/gtest.h>

#include "onefirewall_flowd/enrich/service_table.h"

namespace flowd {
namespace {

TEST(Orientation, RanksPorts) {
  EXPECT_EQ(service_port_rank(kProtoTcp, 443), 1);
  EXPECT_EQ(service_port_rank(kProtoTcp, 3389), 2);
  EXPECT_EQ(service_port_rank(kProtoTcp, 47001), 3);
}

TEST(Orientation, ReplyFromWellKnownPortIsTurned) {
  EXPECT_TRUE(is_reply(kProtoTcp, 443, 51000));
  EXPECT_FALSE(is_reply(kProtoTcp, 51000, 443));
}

TEST(Orientation, NamedPortBeatsUnnamedHighPort) {
  EXPECT_TRUE(is_reply(kProtoTcp, 3389, 50000));
  EXPECT_FALSE(is_reply(kProtoTcp, 50000, 3389));
}

TEST(Orientation, EqualRankLowerNumberIsTheService) {
  EXPECT_TRUE(is_reply(kProtoUdp, 53, 123));
  EXPECT_FALSE(is_reply(kProtoUdp, 123, 53));
  EXPECT_TRUE(is_reply(kProtoTcp, 47001, 51000));
}

TEST(Orientation, BothHalvesAgree) {
  for (uint16_t a : {22, 443, 3389, 8443, 40000, 65535}) {
    for (uint16_t b : {22, 443, 3389, 8443, 40000, 65535}) {
      if (a == b) continue;
      EXPECT_NE(is_reply(kProtoTcp, a, b), is_reply(kProtoTcp, b, a)) << a << " " << b;
    }
  }
}

TEST(Orientation, PortZeroIsNeverTheService) {
  EXPECT_EQ(service_port_rank(kProtoUdp, 0), 4);
  EXPECT_FALSE(is_reply(kProtoUdp, 0, 53));
  EXPECT_TRUE(is_reply(kProtoUdp, 53, 0));
  EXPECT_TRUE(is_reply(kProtoUdp, 50000, 0));  // any real port beats 0
}

TEST(Orientation, PortlessProtocolsAreNeverTurned) {
  EXPECT_FALSE(is_reply(kProtoIcmp, 0, 771));
  EXPECT_FALSE(is_reply(kProtoIcmp, 771, 0));
}

}  // namespace
}  // namespace flowd

namespace flowd {
namespace {

// The bit table says what the generated service table says, for every port.
TEST(NamedPorts, AgreeWithTheServiceTable) {
  for (const uint8_t protocol : {kProtoTcp, kProtoUdp, kProtoSctp, kProtoIcmp}) {
    for (uint32_t port = 0; port <= UINT16_MAX; ++port) {
      const auto p = static_cast<uint16_t>(port);
      ASSERT_EQ(is_named_port(protocol, p), !ServiceTable::builtin_name(protocol, p).empty())
          << int{protocol} << "/" << port;
    }
  }
}

// The shortcut for one port below 1024 and one above agrees with the ranks.
TEST(Orientation, ShortcutAgreesWithTheRanks) {
  for (const uint16_t low : {1, 22, 53, 443, 1023}) {
    for (const uint16_t high : {1024, 3389, 8443, 47001, 65535}) {
      EXPECT_TRUE(is_reply(kProtoTcp, low, high)) << low << " " << high;
      EXPECT_FALSE(is_reply(kProtoTcp, high, low)) << low << " " << high;
    }
  }
}

}  // namespace
}  // namespace flowd
