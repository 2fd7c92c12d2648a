// VRF ids of real exporters' flows (IEs 234/235) and the VRF names (IE 236)
// their options data announce, checked against the records' bytes and
// against the nfacctd golden output pmacct ships with its captures.
#include <set>

#include "../decode/hex.h"
#include "corpus_replay.h"

namespace flowd {
namespace {

const VrfTable& table_of(const Decoder& decoder, std::string_view exporter, uint32_t domain) {
  static const VrfTable kNone;
  const VrfTable* table = decoder.vrfs(*IpAddress::parse(exporter), domain);
  return table ? *table : kNone;
}

std::string name_of(const VrfTable& table, uint32_t id) {
  const auto it = table.find(id);
  return it == table.end() ? "(none)" : std::string(it->second.view());
}

std::multiset<std::pair<uint32_t, uint32_t>> vrf_ids(const std::vector<FlowRecord>& flows) {
  std::multiset<std::pair<uint32_t, uint32_t>> ids;
  for (const FlowRecord& f : flows) ids.emplace(f.ingress_vrf, f.egress_vrf);
  return ids;
}

// IOS XR's default VRF id.
constexpr uint32_t kDefaultVrf = 0x6000'0000;

// Options template 334 (scope System; VRF id, 32-byte name) is the real one;
// its data, which the capture lacks, is built in its layout.
TEST(CorpusVrfs, CiscoAsr9kV9OptionsTemplate334NamesTheVrfIdsItsFlowsCarry) {
  FLOWD_REQUIRE_CAPTURES();
  test::CorpusReplay r;
  std::string error;
  ASSERT_TRUE(r.replay({"logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl334.dat",
                        "logstash-codec-netflow/netflow9_test_cisco_asr9k_tpl260.dat",
                        "logstash-codec-netflow/netflow9_test_cisco_asr9k_data260.dat"},
                       error))
      << error;
  // Template 260 ends in ingressVRFID and egressVRFID: all 21 flows are in the default VRF.
  ASSERT_EQ(r.records().size(), 21u);
  EXPECT_EQ(vrf_ids(r.records()).count({kDefaultVrf, kDefaultVrf}), 21u);
  r.feed(test::hex(R"(0009 0001 659d1a7d 58468e6c 0175ca8c 00000881   # source id 2177, as the capture's
                      014e 002c 00000000 60000000
                      64656661756c74000000000000000000 00000000000000000000000000000000)"));
  const VrfTable& table = table_of(r.decoder(), "192.0.2.1", 2177);
  EXPECT_EQ(name_of(table, kDefaultVrf), "default");
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(r.stats().errors.total(), 0u);
}

// Huawei VRP over IPv6: options template 1514, scoped by ingressVRFID and
// egressVRFID (both 1), names VRF 1 "A4" in a 32-byte NUL-padded VRFname
// (SOURCES.md says variable length; the template says 32). nfacctd's golden
// output gives the flows ingress/egress VRF ids (0, 1) twice and (1, 0) once.
TEST(CorpusVrfs, HuaweiIpfixOptionsScopedByBothVrfIdsNameTheVrf) {
  FLOWD_REQUIRE_CAPTURES();
  test::CorpusReplay r;
  std::string error;
  ASSERT_TRUE(r.replay({"pmacct/106-IPFIXv10-HUAWEI-vrf_name/traffic-00.pcap"}, error)) << error;
  const std::multiset<std::pair<uint32_t, uint32_t>> expected{{0, 1}, {0, 1}, {1, 0}};
  EXPECT_EQ(vrf_ids(r.records()), expected);
  ASSERT_FALSE(r.records().empty());
  const FlowRecord& flow = r.records().front();
  const VrfTable& table = table_of(r.decoder(), flow.exporter.to_string(), flow.domain);
  EXPECT_EQ(name_of(table, 1), "A4");
  EXPECT_EQ(r.stats().errors.value(DecodeError::kVrfCapExceeded), 0u);
}

// pmacct's test 112 re-sends the VRF table with names moved between ids:
// id 1610612740 is A2_TEST_1 for the first flow and A2_TEST_0 for a later
// one (nfacctd's golden output); the last table names 1610612740..48.
TEST(CorpusVrfs, CiscoIpfixVrfNamesReassignedToTheSameIdReplaceTheOldOnes) {
  FLOWD_REQUIRE_CAPTURES();
  test::CorpusReplay r;
  std::string error;
  const IpAddress exporter = *IpAddress::parse("2001:db8:90::1");
  constexpr uint32_t kDomain = 33312;
  constexpr uint32_t kReassigned = 1'610'612'740;
  std::vector<std::string> names;  // the name of kReassigned, each time it changed
  const auto watch = [&](const Decoder& decoder) {
    const VrfTable* table = decoder.vrfs(exporter, kDomain);
    if (table == nullptr || !table->contains(kReassigned)) return;
    const std::string name(table->at(kReassigned).view());
    if (names.empty() || names.back() != name) names.push_back(name);
  };
  ASSERT_TRUE(r.replay({"pmacct/112-IPFIXv10-CISCO-options-map-reassignment/traffic-00.pcap"}, error, watch))
      << error;
  ASSERT_GE(names.size(), 2u);
  EXPECT_EQ(names[0], "A2_TEST_1");
  EXPECT_EQ(names.back(), "A2_TEST_0");
  const VrfTable& table = table_of(r.decoder(), "2001:db8:90::1", kDomain);
  EXPECT_EQ(name_of(table, 1'610'612'743), "A2_TEST_4");
  EXPECT_EQ(name_of(table, 1'610'612'748), "A2_TEST_9");
  EXPECT_EQ(r.decoder().cache().vrf_count(), table.size());
  EXPECT_EQ(r.stats().errors.value(DecodeError::kVrfCapExceeded), 0u);
}

}  // namespace
}  // namespace flowd
