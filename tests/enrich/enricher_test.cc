#include "onefirewall_flowd/enrich/enricher.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

FlowRecord flow(const char* src, uint16_t sport, const char* dst, uint16_t dport, uint8_t proto = kProtoTcp) {
  FlowRecord f;
  f.exporter = ip("192.0.2.1");
  f.src_addr = ip(src);
  f.dst_addr = ip(dst);
  f.src_port = sport;
  f.dst_port = dport;
  f.protocol = proto;
  f.input_interface = 1;
  f.output_interface = 2;
  return f;
}

struct EnricherTest : ::testing::Test {
  Config config = Config::defaults();
  EnrichStats stats;
  Event event;

  ScopeDrop enrich(const FlowRecord& f, Explanation* why = nullptr) {
    Enricher enricher(config, stats);
    return enricher.enrich(f, event, why);
  }
};

TEST_F(EnricherTest, OutboundConnection) {
  ASSERT_EQ(enrich(flow("192.168.1.10", 51000, "198.51.100.7", 443)), ScopeDrop::kNone);
  EXPECT_EQ(event.firewall, "192.0.2.1");
  EXPECT_EQ(event.direction, Direction::kOutbound);
  EXPECT_EQ(event.src_ip, ip("192.168.1.10"));
  EXPECT_EQ(event.dst_ip, ip("198.51.100.7"));
  EXPECT_EQ(event.src_port, 51000);
  EXPECT_EQ(event.dst_port, 443);
  EXPECT_EQ(event.service, "https");
  EXPECT_EQ(event.action, Action::kAllow);
  EXPECT_EQ(stats.events.value(), 1u);
}

TEST_F(EnricherTest, ClassifyLeavesTheServiceForRecordsThatPassReduce) {
  Enricher enricher(config, stats);
  Event e;
  ASSERT_EQ(enricher.classify(flow("198.51.100.7", 443, "192.168.1.10", 51000), e), ScopeDrop::kNone);
  EXPECT_EQ(e.service, "");
  EXPECT_EQ(e.dst_port, 443);
  enricher.name_service(e);
  EXPECT_EQ(e.service, "https");
}

// A datagram's flows share one exporter; a run stops where another begins,
// and it names its firewall once instead of copying the name into each event.
TEST_F(EnricherTest, ClassifyRunStopsAtAnotherExporterAndNamesItsFirewallOnce) {
  ExporterConfig listed;
  listed.address = *Cidr::parse("192.0.2.1");
  listed.name = "edge-fw-1";
  listed.policy = config.exporter_defaults;
  config.exporters = {listed};
  Enricher enricher(config, stats);
  std::vector<FlowRecord> flows = {flow("192.168.1.10", 51000, "198.51.100.7", 443),
                                   flow("10.0.0.1", 51000, "10.0.0.2", 443),  // internal to internal
                                   flow("203.0.113.9", 50500, "10.0.0.5", 22),
                                   flow("192.168.1.11", 51000, "198.51.100.8", 80)};
  flows[3].exporter = ip("192.0.2.2");
  std::vector<Event> events(flows.size());
  const ClassifiedRun first = enricher.classify_run(flows, events);
  EXPECT_EQ(first.flows, 3u);
  ASSERT_EQ(first.in_scope, 2u);
  ASSERT_NE(first.firewall, nullptr);
  EXPECT_EQ(*first.firewall, "edge-fw-1");
  EXPECT_EQ(first.firewall_hash, firewall_hash("edge-fw-1"));
  EXPECT_EQ(events[0].firewall, "");  // named only after reduce
  EXPECT_EQ(events[0].dst_port, 443);
  EXPECT_EQ(events[1].dst_port, 22);
  EXPECT_EQ(events[1].direction, Direction::kInbound);

  const ClassifiedRun second = enricher.classify_run(std::span(flows).subspan(first.flows), events);
  EXPECT_EQ(second.flows, 1u);
  EXPECT_EQ(second.in_scope, 1u);
  EXPECT_EQ(*second.firewall, "192.0.2.2");
  enricher.publish_counts();
  EXPECT_EQ(stats.events.value(), 3u);
  EXPECT_EQ(stats.out_of_scope.value(ScopeDrop::kInternalToInternal), 1u);
}

TEST_F(EnricherTest, ClassifyRunOfAnUnknownExporterHasNoFirewall) {
  config.accept_unknown_exporters = false;
  Enricher enricher(config, stats);
  const std::vector<FlowRecord> flows = {flow("192.168.1.10", 51000, "198.51.100.7", 443)};
  std::vector<Event> events(1);
  const ClassifiedRun run = enricher.classify_run(flows, events);
  EXPECT_EQ(run.flows, 1u);
  EXPECT_EQ(run.in_scope, 0u);
  EXPECT_EQ(run.firewall, nullptr);
  enricher.publish_counts();
  EXPECT_EQ(stats.out_of_scope.value(ScopeDrop::kUnknownExporter), 1u);
}

TEST_F(EnricherTest, InboundConnection) {
  ASSERT_EQ(enrich(flow("203.0.113.9", 50500, "10.0.0.5", 22)), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kInbound);
  EXPECT_EQ(event.service, "ssh");
}

TEST_F(EnricherTest, ReplyFlowIsReportedAsItsConnection) {
  ASSERT_EQ(enrich(flow("198.51.100.7", 443, "192.168.1.10", 51000)), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kOutbound);
  EXPECT_EQ(event.src_ip, ip("192.168.1.10"));
  EXPECT_EQ(event.src_port, 51000);
  EXPECT_EQ(event.dst_ip, ip("198.51.100.7"));
  EXPECT_EQ(event.dst_port, 443);
  EXPECT_EQ(event.service, "https");
}

TEST_F(EnricherTest, EqualPortsTakeTheInternalSideAsInitiator) {
  ASSERT_EQ(enrich(flow("203.0.113.123", 123, "192.168.10.15", 123, kProtoUdp)), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kOutbound);
  EXPECT_EQ(event.src_ip, ip("192.168.10.15"));
  EXPECT_EQ(event.dst_ip, ip("203.0.113.123"));
  const Event reply_half = event;
  ASSERT_EQ(enrich(flow("192.168.10.15", 123, "203.0.113.123", 123, kProtoUdp)), ScopeDrop::kNone);
  EXPECT_EQ(event, reply_half);
  EXPECT_EQ(event.service, "ntp");
}

TEST_F(EnricherTest, InternalAndExternalOnlyTrafficIsOutOfScope) {
  EXPECT_EQ(enrich(flow("192.168.1.10", 51000, "10.1.1.1", 445)), ScopeDrop::kInternalToInternal);
  EXPECT_EQ(enrich(flow("198.51.100.1", 51000, "203.0.113.1", 80)), ScopeDrop::kExternalToExternal);
  EXPECT_EQ(stats.out_of_scope.value(ScopeDrop::kInternalToInternal), 1u);
  EXPECT_EQ(stats.out_of_scope.value(ScopeDrop::kExternalToExternal), 1u);
  EXPECT_EQ(stats.events.value(), 0u);
}

TEST_F(EnricherTest, ListedExporterIsNamedAndUsesItsNetworks) {
  ExporterConfig e;
  e.address = *Cidr::parse("192.0.2.0/24");
  e.name = "edge-fw-1";
  e.policy.internal_networks = {*Cidr::parse("203.0.113.0/24")};
  config.exporters.push_back(e);
  ASSERT_EQ(enrich(flow("203.0.113.5", 40000, "198.51.100.1", 80)), ScopeDrop::kNone);
  EXPECT_EQ(event.firewall, "edge-fw-1");
  EXPECT_EQ(event.direction, Direction::kOutbound);
}

TEST_F(EnricherTest, MostSpecificExporterEntryWins) {
  ExporterConfig wide;
  wide.address = *Cidr::parse("192.0.2.0/24");
  wide.name = "site";
  wide.policy = config.exporter_defaults;
  ExporterConfig host = wide;
  host.address = *Cidr::parse("192.0.2.1");
  host.name = "edge-fw-1";
  config.exporters = {wide, host};
  ASSERT_EQ(enrich(flow("192.168.1.10", 51000, "198.51.100.7", 443)), ScopeDrop::kNone);
  EXPECT_EQ(event.firewall, "edge-fw-1");
}

TEST_F(EnricherTest, ObservationDomainNarrowsTheMatch) {
  ExporterConfig any;
  any.address = *Cidr::parse("192.0.2.1");
  any.name = "fw-any";
  any.policy = config.exporter_defaults;
  ExporterConfig seven = any;
  seven.observation_domain = 7;
  seven.name = "fw-domain-7";
  config.exporters = {any, seven};
  auto f = flow("192.168.1.10", 51000, "198.51.100.7", 443);
  f.domain = 7;
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.firewall, "fw-domain-7");
  f.domain = 8;
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.firewall, "fw-any");
}

TEST_F(EnricherTest, UnknownExporterRefusedWhenNotAccepted) {
  config.accept_unknown_exporters = false;
  EXPECT_EQ(enrich(flow("192.168.1.10", 51000, "198.51.100.7", 443)), ScopeDrop::kUnknownExporter);
  EXPECT_EQ(stats.out_of_scope.value(ScopeDrop::kUnknownExporter), 1u);
}

TEST_F(EnricherTest, Ipv6IsDroppedUnlessEnabled) {
  const auto f = flow("fd00::10", 51000, "2001:db8::7", 443);
  EXPECT_EQ(enrich(f), ScopeDrop::kIpv6Disabled);
  config.api.send_ipv6 = true;
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kOutbound);
}

TEST_F(EnricherTest, DefaultActionApplies) {
  config.exporter_defaults.default_action = Action::kDeny;
  ASSERT_EQ(enrich(flow("192.168.1.10", 51000, "198.51.100.7", 443)), ScopeDrop::kNone);
  EXPECT_EQ(event.action, Action::kDeny);
}

TEST_F(EnricherTest, NselEventsDecideAction) {
  auto f = flow("192.168.1.10", 51000, "198.51.100.7", 443);
  f.has_firewall_event = true;
  f.firewall_event = 3;
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.action, Action::kDeny);
  for (uint8_t allowed : {1, 2, 5}) {
    f.firewall_event = allowed;
    ASSERT_EQ(enrich(f), ScopeDrop::kNone);
    EXPECT_EQ(event.action, Action::kAllow) << int{allowed};
  }
  f.firewall_event = 2;
  f.has_extended_event = true;
  f.extended_event = 1001;
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.action, Action::kDeny);
}

TEST_F(EnricherTest, AlertEventFallsThroughToForwardingStatus) {
  auto f = flow("192.168.1.10", 51000, "198.51.100.7", 443);
  f.has_firewall_event = true;
  f.firewall_event = 4;
  f.has_forwarding_status = true;
  f.forwarding_status = 0x80 | 2;  // dropped
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.action, Action::kDeny);
  f.forwarding_status = 0xc0;  // consumed
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.action, Action::kAllow);
}

TEST_F(EnricherTest, OutputInterfaceZeroIsDenyWhenConfigured) {
  auto f = flow("192.168.1.10", 51000, "198.51.100.7", 443);
  f.output_interface = 0;
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.action, Action::kAllow);
  config.exporter_defaults.output_interface_zero_is_deny = true;
  ASSERT_EQ(enrich(f), ScopeDrop::kNone);
  EXPECT_EQ(event.action, Action::kDeny);
}

TEST_F(EnricherTest, OutsideInterfacesDecideDirection) {
  config.exporter_defaults.outside_interfaces = {1};
  // Both ends internal by address, but the flow enters on the outside interface.
  ASSERT_EQ(enrich(flow("10.9.9.9", 51000, "10.0.0.5", 443)), ScopeDrop::kNone);
  EXPECT_EQ(event.direction, Direction::kInbound);
}

TEST_F(EnricherTest, ExplainsEachDecision) {
  Explanation why;
  ASSERT_EQ(enrich(flow("198.51.100.7", 443, "192.168.1.10", 51000), &why), ScopeDrop::kNone);
  EXPECT_EQ(why.firewall, "unlisted exporter");
  EXPECT_EQ(why.action, "default_action");
  EXPECT_NE(why.direction.find("192.168.1.10"), std::string::npos);
  EXPECT_NE(why.orientation.find("turned"), std::string::npos);
  EXPECT_NE(why.service.find("443"), std::string::npos);
}

}  // namespace
}  // namespace flowd

namespace flowd {
namespace {

TEST_F(EnricherTest, CountsReachTheSharedStatsWhenPublished) {
  Enricher enricher(config, stats);
  ASSERT_EQ(enricher.enrich(flow("192.168.1.10", 51000, "198.51.100.7", 443), event), ScopeDrop::kNone);
  ASSERT_EQ(enricher.enrich(flow("192.168.1.10", 51000, "10.1.1.1", 445), event),
            ScopeDrop::kInternalToInternal);
  EXPECT_EQ(stats.events.value(), 0u);  // counted in the enricher until published
  enricher.publish_counts();
  EXPECT_EQ(stats.events.value(), 1u);
  EXPECT_EQ(stats.out_of_scope.value(ScopeDrop::kInternalToInternal), 1u);
  enricher.publish_counts();  // nothing new: nothing added twice
  EXPECT_EQ(stats.events.value(), 1u);
  EXPECT_EQ(stats.out_of_scope.total(), 1u);
}

}  // namespace
}  // namespace flowd
