// outside_interfaces given by name, resolved through the names an exporter
// announced in options data.
#include <gtest/gtest.h>

#include "onefirewall_flowd/enrich/enricher.h"

namespace flowd {
namespace {

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

InterfaceLabel label(std::string_view name, std::string_view description = "") {
  const std::vector<uint8_t> name_bytes(name.begin(), name.end());
  const std::vector<uint8_t> description_bytes(description.begin(), description.end());
  InterfaceLabel l;
  l.name.assign(name_bytes);
  l.description.assign(description_bytes);
  return l;
}

// Both ends internal by address: only the interfaces can tell the direction.
FlowRecord internal_flow(uint32_t in_if, uint32_t out_if) {
  FlowRecord f;
  f.exporter = ip("192.0.2.1");
  f.domain = 4;
  f.src_addr = ip("10.9.9.9");
  f.dst_addr = ip("10.0.0.5");
  f.src_port = 51000;
  f.dst_port = 443;
  f.protocol = kProtoTcp;
  f.input_interface = in_if;
  f.output_interface = out_if;
  return f;
}

struct OutsideInterfaceNames : ::testing::Test {
  Config config = Config::defaults();
  EnrichStats stats;
  Event event;
  InterfaceTable announced{{3, label("outside")}, {5, label("", "LAN uplink")}};
  int lookups = 0;

  std::unique_ptr<Enricher> enricher() {
    auto e = std::make_unique<Enricher>(config, stats);
    e->set_interface_lookup([this](const IpAddress& exporter, uint32_t domain) -> const InterfaceTable* {
      ++lookups;
      return exporter == ip("192.0.2.1") && domain == 4 ? &announced : nullptr;
    });
    return e;
  }
};

TEST_F(OutsideInterfaceNames, ANameMatchesTheInterfaceTheExporterNamedSo) {
  config.exporter_defaults.outside_interface_names = {"outside"};
  EXPECT_EQ(enricher()->enrich(internal_flow(3, 5), event), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kInbound);
  EXPECT_EQ(enricher()->enrich(internal_flow(5, 3), event), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kOutbound);
}

TEST_F(OutsideInterfaceNames, AnUnannouncedOrOtherNameDecidesNothing) {
  config.exporter_defaults.outside_interface_names = {"wan1"};
  EXPECT_EQ(enricher()->enrich(internal_flow(3, 5), event), ScopeDrop::kInternalToInternal);
  FlowRecord other_domain = internal_flow(3, 5);
  other_domain.domain = 9;  // announced nothing
  config.exporter_defaults.outside_interface_names = {"outside"};
  EXPECT_EQ(enricher()->enrich(other_domain, event), ScopeDrop::kInternalToInternal);
}

TEST_F(OutsideInterfaceNames, IndexesAndNamesMixInOneList) {
  config.exporter_defaults.outside_interfaces = {7};
  config.exporter_defaults.outside_interface_names = {"outside"};
  auto e = enricher();
  EXPECT_EQ(e->enrich(internal_flow(7, 5), event), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kInbound);
  EXPECT_EQ(e->enrich(internal_flow(3, 5), event), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kInbound);
}

TEST_F(OutsideInterfaceNames, ARunLooksTheTableUpOnceAndOnlyWhenNamesAreUsed) {
  std::vector<FlowRecord> flows(8, internal_flow(3, 5));
  std::vector<Event> events(flows.size());
  config.exporter_defaults.outside_interfaces = {3};
  enricher()->classify_run(flows, events);
  EXPECT_EQ(lookups, 0);
  config.exporter_defaults.outside_interface_names = {"outside"};
  const ClassifiedRun run = enricher()->classify_run(flows, events);
  EXPECT_EQ(run.in_scope, 8u);
  EXPECT_EQ(lookups, 1);
}

TEST_F(OutsideInterfaceNames, TheExplanationNamesTheInterfacesThatDecided) {
  config.exporter_defaults.outside_interface_names = {"outside"};
  Explanation why;
  ASSERT_EQ(enricher()->enrich(internal_flow(3, 5), event, &why), ScopeDrop::kNone);
  EXPECT_EQ(why.direction, "outside_interfaces: in 3 (outside) is outside, out 5 (LAN uplink) is inside");
  config.exporter_defaults.outside_interface_names.clear();
  config.exporter_defaults.outside_interfaces = {5};
  ASSERT_EQ(enricher()->enrich(internal_flow(3, 5), event, &why), ScopeDrop::kNone);
  EXPECT_EQ(why.direction, "outside_interfaces: in 3 (outside) is inside, out 5 (LAN uplink) is outside");
}

}  // namespace
}  // namespace flowd
