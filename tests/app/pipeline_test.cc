#include "onefirewall_flowd/app/pipeline.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "decode/hex.h"
#include "decode/v5_vectors.h"
#include "decode/v9_vectors.h"

namespace flowd {
namespace {

std::string contents(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[512];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

struct PipelineTest : ::testing::Test {
  std::FILE* out = std::tmpfile();
  StdoutSink sink{out};
  PipelineStats stats;
  Config config = Config::defaults();
  std::vector<uint8_t> bytes = test::hex(test::kV5TwoRecords);
  Datagram datagram{*IpAddress::parse("192.0.2.1"), 2055, bytes, {}};

  ~PipelineTest() override { std::fclose(out); }
};

TEST_F(PipelineTest, V5DatagramBecomesApiRecords) {
  Pipeline pipeline(config, stats, sink);
  pipeline.process(datagram);
  EXPECT_EQ(
      contents(out),
      R"({"firewall":"192.0.2.1","direction":"outbound","src_ip":"192.168.10.5","dst_ip":"198.51.100.1",)"
      R"("src_port":40000,"dst_port":443,"service":"https","action":"Allow"})"
      "\n"
      R"({"firewall":"192.0.2.1","direction":"outbound","src_ip":"192.168.10.5","dst_ip":"198.51.100.53",)"
      R"("src_port":51000,"dst_port":53,"service":"domain","action":"Allow"})"
      "\n");
  EXPECT_EQ(stats.decode.flows.value(), 2u);
  EXPECT_EQ(stats.enrich.events.value(), 2u);
}

TEST_F(PipelineTest, RepeatedConversationIsReducedAway) {
  Pipeline pipeline(config, stats, sink);
  pipeline.process(datagram);
  pipeline.process(datagram);
  EXPECT_EQ(stats.reduce.passed.value(), 2u);
  EXPECT_EQ(stats.reduce.deduplicated.value(), 2u);
}

TEST_F(PipelineTest, ReconfigureRenamesTheFirewall) {
  Pipeline pipeline(config, stats, sink);
  pipeline.process(datagram);
  ExporterConfig e;
  e.address = *Cidr::parse("192.0.2.1");
  e.name = "edge-fw-1";
  e.policy = config.exporter_defaults;
  config.exporters.push_back(e);
  pipeline.reconfigure(config);
  pipeline.process(datagram);
  const std::string text = contents(out);
  EXPECT_NE(text.find(R"("firewall":"edge-fw-1")"), std::string::npos) << text;
}

TEST_F(PipelineTest, CountsPacketsFlowsAndSequenceGapsPerExporter) {
  Pipeline pipeline(config, stats, sink);
  pipeline.process(datagram);  // flow_sequence 42 with 2 flows: 44 comes next
  std::vector<uint8_t> later = bytes;
  later[19] = 50;  // six flows went missing
  pipeline.process(Datagram{datagram.exporter, 2055, later, {}});
  pipeline.process(Datagram{*IpAddress::parse("192.0.2.9"), 2055, bytes, {}});
  const auto exporters = pipeline.exporters().snapshot();
  ASSERT_EQ(exporters.size(), 2u);
  const ExporterCounts& first = exporters.at(datagram.exporter);
  EXPECT_EQ(first.packets, 2u);
  EXPECT_EQ(first.flows, 4u);
  EXPECT_EQ(first.sequence_lost, 6u);
  const ExporterCounts& second = exporters.at(*IpAddress::parse("192.0.2.9"));
  EXPECT_EQ(second.packets, 1u);
  EXPECT_EQ(second.sequence_lost, 0u);
}

TEST_F(PipelineTest, ReconfigureKeepsTheReduceMemory) {
  Pipeline pipeline(config, stats, sink);
  pipeline.process(datagram);
  pipeline.reconfigure(config);
  pipeline.process(datagram);
  EXPECT_EQ(stats.reduce.passed.value(), 2u);
}

void list_exporter(Config& config, std::string_view cidr) {
  ExporterConfig e;
  e.address = *Cidr::parse(cidr);
  e.name = "listed";
  e.policy = config.exporter_defaults;
  config.exporters.push_back(e);
}

TEST_F(PipelineTest, DecodeLimitsKnowTheListedExportersAndShareTheTotalsOverWorkers) {
  list_exporter(config, "192.0.2.0/24");
  config.accept_unknown_exporters = false;
  const TemplateLimits limits = template_limits(config, 4);
  ASSERT_TRUE(limits.admission.listed);
  EXPECT_TRUE(limits.admission.listed(*IpAddress::parse("192.0.2.7")));
  EXPECT_FALSE(limits.admission.listed(*IpAddress::parse("198.51.100.1")));
  EXPECT_FALSE(limits.admission.accept_unknown);
  EXPECT_EQ(limits.templates_total, TemplateLimits{}.templates_total / 4);
  EXPECT_EQ(limits.pending.bytes_total, TemplateLimits{}.pending.bytes_total / 4);
}

TEST_F(PipelineTest, RefusedUnlistedExportersGetNoDecodeStateAndReloadFreesIt) {
  Pipeline pipeline(config, stats, sink);
  const auto v9 = test::hex(test::kV9TemplateAndData);
  const auto now = std::chrono::system_clock::now();  // save_templates() keeps what is live now
  pipeline.process(Datagram{*IpAddress::parse("198.51.100.1"), 2055, v9, now});
  EXPECT_GT(pipeline.save_templates().size(), 6u);
  EXPECT_EQ(stats.decode.flows.value(), 1u);
  list_exporter(config, "192.0.2.1");
  config.accept_unknown_exporters = false;
  pipeline.reconfigure(config);
  pipeline.process(Datagram{*IpAddress::parse("198.51.100.1"), 2055, v9, now});
  EXPECT_EQ(stats.decode.errors.value(DecodeError::kUnlistedExporter), 1u);
  EXPECT_EQ(pipeline.save_templates().size(), 6u);  // the reload freed the unlisted exporter's template
  pipeline.process(Datagram{*IpAddress::parse("192.0.2.1"), 2055, v9, now});
  EXPECT_EQ(stats.decode.flows.value(), 2u);
}

TEST_F(PipelineTest, AHugeTemplateLifetimeNeverOverflowsTheExpiry) {
  config.template_lifetime = std::chrono::milliseconds::max();
  DecodeStats decode_stats;
  Decoder decoder(decode_stats, template_limits(config));
  std::vector<FlowRecord> flows;
  const std::chrono::system_clock::time_point learned{std::chrono::seconds(1'600'000'000)};
  decoder.decode(Datagram{*IpAddress::parse("192.0.2.1"), 2055, test::hex(test::kV9TemplateAndData), learned},
                 flows);
  decoder.decode(Datagram{*IpAddress::parse("192.0.2.1"), 2055, test::hex(test::kV9DataOnly),
                          learned + std::chrono::hours(24 * 365 * 100)},
                 flows);
  EXPECT_EQ(flows.size(), 2u);
  EXPECT_EQ(decode_stats.pending_held.value(), 0u);
}

// Options data names interface 3 "outside"; then a flow 10.9.9.9 -> 10.0.0.5
// that enters by 3 and leaves by 5: internal to internal by address.
constexpr std::string_view kNamedInterfaceAndFlow = R"(
  000a 0071 5f5e1000 00000000 00000004
  0003 0014 0101 0002 0001 000a 0004 0052 ffff 0000   # options template: ingressInterface, interfaceName
  0002 0024 0100 0007 0008 0004 000c 0004 0007 0002 000b 0002 0004 0001 000a 0004 000e 0004
  0101 0010 00000003 07 6f757473696465                # interface 3 is "outside"
  0100 0019 0a090909 0a000005 c738 01bb 06 00000003 00000005)";

TEST_F(PipelineTest, OutsideInterfacesByNameResolveThroughTheDecodedNamesAlsoAfterReloads) {
  config.exporter_defaults.outside_interface_names = {"outside"};
  const std::vector<uint8_t> named = test::hex(kNamedInterfaceAndFlow);
  const Datagram d{*IpAddress::parse("192.0.2.1"), 2055, named, {}};
  Pipeline pipeline(config, stats, sink);
  pipeline.process(d);
  EXPECT_NE(contents(out).find(R"("direction":"inbound","src_ip":"10.9.9.9")"), std::string::npos);
  pipeline.reconfigure(config);
  std::string direction;
  pipeline.set_observer([&](const FlowOutcome& o) { direction = o.why.direction; });
  pipeline.process(d);
  EXPECT_EQ(direction, "outside_interfaces: in 3 (outside) is outside, out 5 is inside");
  direction.clear();
  pipeline.set_enricher(std::make_unique<Enricher>(config, stats.enrich));  // a worker's reload
  pipeline.process(d);
  EXPECT_EQ(direction, "outside_interfaces: in 3 (outside) is outside, out 5 is inside");
  EXPECT_EQ(stats.enrich.out_of_scope.total(), 0u);
}

}  // namespace
}  // namespace flowd
