// replay --explain names a flow's VRFs from what its exporter announced in
// options data; the hot path never looks VRF names up.
#include <gtest/gtest.h>

#include "onefirewall_flowd/enrich/enricher.h"

namespace flowd {
namespace {

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

ShortText text(std::string_view s) {
  const std::vector<uint8_t> bytes(s.begin(), s.end());
  ShortText t;
  t.assign(bytes);
  return t;
}

FlowRecord flow_in_vrfs(uint32_t ingress, uint32_t egress) {
  FlowRecord f;
  f.exporter = ip("192.0.2.1");
  f.domain = 4;
  f.src_addr = ip("10.0.0.5");
  f.dst_addr = ip("198.51.100.1");
  f.src_port = 51000;
  f.dst_port = 443;
  f.protocol = kProtoTcp;
  f.ingress_vrf = ingress;
  f.egress_vrf = egress;
  return f;
}

struct VrfExplanation : ::testing::Test {
  Config config = Config::defaults();
  EnrichStats stats;
  Event event;
  VrfTable announced{{1, text("default")}, {3, text("CUST-A")}, {9, text("")}};
  int lookups = 0;

  std::unique_ptr<Enricher> enricher() {
    auto e = std::make_unique<Enricher>(config, stats);
    e->set_vrf_lookup([this](const IpAddress& exporter, uint32_t domain) -> const VrfTable* {
      ++lookups;
      return exporter == ip("192.0.2.1") && domain == 4 ? &announced : nullptr;
    });
    return e;
  }
  std::string explained(const FlowRecord& f) {
    Explanation why;
    EXPECT_EQ(enricher()->enrich(f, event, &why), ScopeDrop::kNone);
    return why.vrf;
  }
};

TEST_F(VrfExplanation, NamesBothVrfsAndGivesAnUnnamedOneAsItsId) {
  EXPECT_EQ(explained(flow_in_vrfs(1, 3)), "in 1 (default), out 3 (CUST-A)");
  EXPECT_EQ(explained(flow_in_vrfs(7, 3)), "in 7, out 3 (CUST-A)");
  EXPECT_EQ(explained(flow_in_vrfs(9, 0)), "in 9, out 0");  // announced with an empty name
  FlowRecord other_domain = flow_in_vrfs(1, 3);
  other_domain.domain = 5;  // announced nothing
  EXPECT_EQ(explained(other_domain), "in 1, out 3");
}

TEST_F(VrfExplanation, AFlowWithoutVrfIdsGetsNoLineAndNoLookup) {
  EXPECT_EQ(explained(flow_in_vrfs(0, 0)), "");
  EXPECT_EQ(lookups, 0);
}

TEST_F(VrfExplanation, TheHotPathNeverLooksVrfNamesUp) {
  std::vector<FlowRecord> flows(8, flow_in_vrfs(1, 3));
  std::vector<Event> events(flows.size());
  auto e = enricher();
  EXPECT_EQ(e->classify_run(flows, events).in_scope, 8u);
  EXPECT_EQ(e->enrich(flows[0], event), ScopeDrop::kNone);
  EXPECT_EQ(lookups, 0);
}

}  // namespace
}  // namespace flowd
