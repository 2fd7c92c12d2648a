#include "onefirewall_flowd/enrich/service_table.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

const IpAddress kAnyHost = *IpAddress::parse("198.51.100.1");

TEST(ServiceTable, BuiltInIanaNames) {
  const ServiceTable table;
  EXPECT_EQ(table.name(kAnyHost, kProtoTcp, 443), "https");
  EXPECT_EQ(table.name(kAnyHost, kProtoUdp, 53), "domain");
  EXPECT_EQ(table.name(kAnyHost, kProtoTcp, 3389), "ms-wbt-server");
  EXPECT_EQ(table.name(kAnyHost, kProtoTcp, 22), "ssh");
  EXPECT_EQ(table.name(kAnyHost, kProtoUdp, 123), "ntp");
}

TEST(ServiceTable, UnnamedPortIsProtocolSlashPort) {
  const ServiceTable table;
  EXPECT_EQ(table.name(kAnyHost, kProtoTcp, 47001), "tcp/47001");
  EXPECT_EQ(table.name(kAnyHost, kProtoUdp, 47001), "udp/47001");
}

TEST(ServiceTable, PortlessProtocolsAreNamedByProtocol) {
  const ServiceTable table;
  EXPECT_EQ(table.name(kAnyHost, kProtoIcmp, 0), "icmp");
  EXPECT_EQ(table.name(kAnyHost, 47, 0), "gre");
  EXPECT_EQ(table.name(kAnyHost, 253, 0), "ip/253");
}

TEST(ServiceTable, OverrideByPortThenByAddressAndPort) {
  const ServiceTable table({
      {std::nullopt, 8443, kProtoTcp, "admin-portal"},
      {IpAddress::parse("10.0.0.5"), 443, std::nullopt, "webshop"},
  });
  EXPECT_EQ(table.name(kAnyHost, kProtoTcp, 8443), "admin-portal");
  EXPECT_EQ(table.name(kAnyHost, kProtoUdp, 8443), "udp/8443");
  EXPECT_EQ(table.name(*IpAddress::parse("10.0.0.5"), kProtoTcp, 443), "webshop");
  EXPECT_EQ(table.name(*IpAddress::parse("10.0.0.6"), kProtoTcp, 443), "https");
}

TEST(ServiceTable, AddressOverrideBeatsPortOverrideWhateverTheOrder) {
  const ServiceTable table({
      {std::nullopt, 443, std::nullopt, "generic"},
      {IpAddress::parse("10.0.0.5"), 443, std::nullopt, "webshop"},
  });
  EXPECT_EQ(table.name(*IpAddress::parse("10.0.0.5"), kProtoTcp, 443), "webshop");
  EXPECT_EQ(table.name(kAnyHost, kProtoTcp, 443), "generic");
}

}  // namespace
}  // namespace flowd
