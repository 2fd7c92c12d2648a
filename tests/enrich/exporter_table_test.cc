// Names for exporters: listed ones by prefix and domain, unlisted ones by
// address, in a cache that spoofed sources cannot keep full.
#include "onefirewall_flowd/enrich/exporter_table.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

IpAddress nth_address(uint32_t n) {
  return *IpAddress::parse("10." + std::to_string((n >> 16) & 0xFF) + "." + std::to_string((n >> 8) & 0xFF) +
                           "." + std::to_string(n & 0xFF));
}

Config with_listed(const char* address, const char* name) {
  Config config = Config::defaults();
  ExporterConfig listed;
  listed.address = *Cidr::parse(address);
  listed.name = name;
  config.exporters.push_back(listed);
  return config;
}

TEST(ExporterTable, AFullUnlistedCacheIsEmptiedAndItsNamesStayRight) {
  ExporterTable table(with_listed("192.0.2.1", "edge-fw"));
  for (uint32_t i = 0; i < ExporterTable::kMaxUnlistedCached; ++i) {
    ASSERT_EQ(table.find(nth_address(i), 0)->name, nth_address(i).to_string());
  }
  EXPECT_EQ(table.unlisted_cached(), ExporterTable::kMaxUnlistedCached);
  const IpAddress newcomer = nth_address(ExporterTable::kMaxUnlistedCached);
  const ExporterProfile* profile = table.find(newcomer, 0);
  EXPECT_EQ(profile->name, newcomer.to_string());
  EXPECT_EQ(profile->matched_by, "unlisted exporter");
  EXPECT_EQ(table.unlisted_cached(), 1u) << "the flood's entries are gone";
  EXPECT_EQ(table.find(newcomer, 0), profile) << "and the newcomer's is kept";
  EXPECT_EQ(table.find(nth_address(7), 0)->name, nth_address(7).to_string());
  EXPECT_EQ(table.find(*IpAddress::parse("192.0.2.1"), 0)->name, "edge-fw");
}

TEST(ExporterTable, UnlistedExportersGetNoStateWhenRefused) {
  Config config = with_listed("192.0.2.1", "edge-fw");
  config.accept_unknown_exporters = false;
  ExporterTable table(config);
  EXPECT_EQ(table.find(nth_address(1), 0), nullptr);
  EXPECT_EQ(table.unlisted_cached(), 0u);
  EXPECT_EQ(table.find(*IpAddress::parse("192.0.2.1"), 9)->name, "edge-fw");
}

}  // namespace
}  // namespace flowd
