// VRF ids of flows (IEs 234/235) and VRF names learned from options data
// (IE 236 keyed by IE 234), under caps like the interface names'.
#include "decode_fixture.h"
#include "ipfix_builder.h"
#include "onefirewall_flowd/decode/slot_op.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {
namespace {

using namespace std::chrono_literals;

using test::ipfix_message;

// Options template 257 (scope ingressVRFID; VRFname, variable length) and
// one options data record per VRF.
std::vector<uint8_t> vrf_table(uint32_t domain, const std::vector<test::NamedKey>& vrfs) {
  return test::name_table(domain, 234, 236, vrfs);
}

struct VrfNames : test::DecodeFixture {
  const IpAddress listed = *IpAddress::parse("192.0.2.100");

  std::string name_of(std::string_view exporter, uint32_t domain, uint32_t id) const {
    const VrfTable* table = decoder->vrfs(*IpAddress::parse(exporter), domain);
    if (table == nullptr || !table->contains(id)) return "(none)";
    return std::string(table->at(id).view());
  }
  void feed_from(const IpAddress& exporter, const std::vector<uint8_t>& bytes) {
    decoder->decode(Datagram{exporter, 2055, bytes, now}, out);
  }
};

TEST_F(VrfNames, IpfixOptionsDataNamesVrfsPerDomainAndAResentNameReplacesTheOld) {
  feed(vrf_table(1, {{1, "default"}, {3, "CUST-A"}}));
  feed(vrf_table(2, {{3, "mgmt"}}));
  EXPECT_EQ(name_of("192.0.2.1", 1, 1), "default");
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "CUST-A");
  EXPECT_EQ(name_of("192.0.2.1", 2, 3), "mgmt");
  feed(vrf_table(1, {{3, "CUST-B"}}));  // the id reassigned, as pmacct's test 112 does
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "CUST-B");
  EXPECT_EQ(decoder->cache().vrf_count(), 3u);
  EXPECT_EQ(decoder->cache().interface_count(), 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(VrfNames, VariableLengthNamesInBothLengthFormsAreReadAndLongOnesCut) {
  feed(vrf_table(1, {{5, std::string(300, 'v')}, {6, "after-the-long-one"}}));
  EXPECT_EQ(name_of("192.0.2.1", 1, 5), std::string(64, 'v'));
  EXPECT_EQ(name_of("192.0.2.1", 1, 6), "after-the-long-one");
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(VrfNames, ARecordWithoutAVrfIdNamesNothing) {
  feed(vrf_table(1, {{0, "nameless"}}));
  EXPECT_EQ(decoder->cache().vrf_count(), 0u);
  EXPECT_EQ(stats.errors.total(), 0u);
}

// The layout of Cisco ASR 9000's options template 334 (logstash-codec-netflow's
// netflow9_test_cisco_asr9k_opttpl334.dat): scope System, then VRF id and a
// 32-byte NUL-padded name.
TEST_F(VrfNames, V9OptionsNameTheVrfIdTheirRecordCarries) {
  feed_hex(R"(0009 0002 00000000 5f5e1000 00000001 00000881
              0001 0018 014e 0004 0008 0001 0004 00ea 0004 00ec 0020 0000
              014e 0054                                                     # two records of 40 bytes
              00000000 60000000 64656661756c74000000000000000000 00000000000000000000000000000000
              00000000 60000004 435553542d4100000000000000000000 00000000000000000000000000000000
              0000 0000)");  // "default" and "CUST-A", then padding
  EXPECT_EQ(name_of("192.0.2.1", 0x881, 0x60000000), "default");
  EXPECT_EQ(name_of("192.0.2.1", 0x881, 0x60000004), "CUST-A");
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(VrfNames, ADomainHoldsAtMostItsCapAndCountsTheRest) {
  limits.vrfs_per_domain = 2;
  reset(limits);
  feed(vrf_table(1, {{1, "a"}, {2, "b"}, {3, "c"}}));
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "(none)");
  EXPECT_EQ(errors(DecodeError::kVrfCapExceeded), 1u);
  EXPECT_EQ(errors(DecodeError::kInterfaceCapExceeded), 0u);
  feed(vrf_table(1, {{2, "b2"}}));  // a known id is renamed at the cap
  EXPECT_EQ(name_of("192.0.2.1", 1, 2), "b2");
  EXPECT_EQ(errors(DecodeError::kVrfCapExceeded), 1u);
}

TEST_F(VrfNames, TheTotalCapIsCountedAndUnlistedExportersNeverLockAListedOneOut) {
  TemplateLimits with_list;
  with_list.vrfs_total = 4;
  with_list.admission.listed = [address = listed](const IpAddress& a) { return a == address; };
  reset(with_list);
  for (uint32_t n = 1; n <= 4; ++n) {
    feed_from(IpAddress::from_v4(0x0a000000 + n), vrf_table(0, {{n, "spoofed"}}));
  }
  EXPECT_EQ(decoder->cache().vrf_count(), 4u);
  feed_from(listed, vrf_table(0, {{1, "default"}, {2, "CUST-A"}}));
  EXPECT_EQ(name_of("192.0.2.100", 0, 2), "CUST-A");
  EXPECT_EQ(errors(DecodeError::kVrfCapExceeded), 0u);
  feed_from(listed, vrf_table(0, {{3, "b"}, {4, "c"}, {5, "d"}}));  // no one else left to evict
  EXPECT_EQ(errors(DecodeError::kVrfCapExceeded), 1u);
  EXPECT_EQ(decoder->cache().vrf_count(), 4u);
}

TEST_F(VrfNames, NamesAreFreedWithTheirDomain) {
  feed(vrf_table(1, {{3, "CUST-A"}, {4, "CUST-B"}}));
  EXPECT_EQ(decoder->cache().vrf_count(), 2u);
  now += limits.template_lifetime + 1s;
  feed_from(listed, vrf_table(0, {{1, "other"}}));  // a later datagram runs the sweep
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "(none)");
  EXPECT_EQ(decoder->cache().vrf_count(), 1u);
}

// IPFIX template 256: sourceIPv4Address, ingressVRFID, egressVRFID and
// applicationDescription (IE 94, not decoded) of 4 bytes, so a fixed layout
// read by fast ops, or of variable length, read by the generic path.
TEST_F(VrfNames, FlowsCarryTheirIngressAndEgressVrfIds) {
  feed(ipfix_message(9, test::hex(R"(0002 0018 0100 0004 0008 0004 00ea 0004 00eb 0004 005e 0004
                                     0100 0014 c0a80a05 00000001 00000003 65746830)")));
  feed(ipfix_message(9, test::hex(R"(0002 0018 0101 0004 0008 0004 00ea 0004 00eb 0004 005e ffff
                                     0101 0015 c0a80a05 00000002 60000004 04 65746830)")));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].ingress_vrf, 1u);
  EXPECT_EQ(out[0].egress_vrf, 3u);
  EXPECT_EQ(out[1].ingress_vrf, 2u);
  EXPECT_EQ(out[1].egress_vrf, 0x60000004u);
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST(VrfNameFields, FlowTemplatesSkipVrfNamesSoFlowsPayNothingForThem) {
  const std::vector<FieldSpec> fields{{234, 4, 0}, {235, 4, 0}, {236, 32, 0}};
  const Template flows = build_template(Dialect::kIpfix, false, 0, fields);
  ASSERT_EQ(flows.slots.size(), 2u);  // the two VRF ids only
  EXPECT_NE(flows.slots[0].op, SlotOp::kGeneric);
  EXPECT_NE(flows.slots[1].op, SlotOp::kGeneric);
  const Template options = build_template(Dialect::kIpfix, true, 1, fields);
  EXPECT_EQ(options.slots.size(), 3u);
  EXPECT_EQ(options.slots[2].kind, FieldKind::kVrfName);
}

}  // namespace
}  // namespace flowd
