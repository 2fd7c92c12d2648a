// Interface names that real exporters announce in options data (IEs 82/83),
// checked against the records' bytes as tshark shows them.
#include "corpus_replay.h"

namespace flowd {
namespace {

// The table of (exporter, domain) once files are replayed; raw files stand in 192.0.2.1 as the exporter.
const InterfaceTable& replayed_interfaces(test::CorpusReplay& r, const std::vector<std::string>& files,
                                          uint32_t domain, std::string_view exporter = "192.0.2.1") {
  std::string error;
  EXPECT_TRUE(r.replay(files, error)) << error;
  static const InterfaceTable kNone;
  const InterfaceTable* table = r.decoder().interfaces(*IpAddress::parse(exporter), domain);
  return table ? *table : kNone;
}

TEST(CorpusInterfaces, CiscoIosXrIpfixInterfaceTableNamesAndDescribesEachIndex) {
  FLOWD_REQUIRE_CAPTURES();
  test::CorpusReplay r;
  const InterfaceTable& table =
      replayed_interfaces(r, {"pmacct/500-IPFIXv10-BGP-CISCO-SRv6/traffic-00.pcap"}, 0, "198.51.100.54");
  ASSERT_EQ(table.size(), 4u);  // options template 256: scope ingress/egressInterface, then 83 and 82
  ASSERT_TRUE(table.contains(69));
  EXPECT_EQ(table.at(69).name.view(), "TenGigE0_0_0_0.516");
  EXPECT_EQ(table.at(69).description.view(), "TenGigE0/0/0/0.516");
  EXPECT_EQ(table.at(42).name.view(), "TenGigE0_0_0_0");
  EXPECT_EQ(r.stats().errors.value(DecodeError::kInterfaceCapExceeded), 0u);
}

TEST(CorpusInterfaces, CiscoAsr9kV9OptionsDescribeInterfacesByInputInterface) {
  FLOWD_REQUIRE_CAPTURES();
  test::CorpusReplay r;
  const InterfaceTable& table =
      replayed_interfaces(r,
                          {"logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl256.dat",
                           "logstash-codec-netflow/netflow9_test_cisco_asr9k_data256.dat"},
                          2177);
  ASSERT_EQ(table.size(), 19u);  // scope System, then field 10 and 83 (no 82)
  EXPECT_EQ(table.at(162).description.view(), "Bundle-Ether2");
  EXPECT_EQ(table.at(162).name.view(), "");
  EXPECT_EQ(table.at(54).description.view(), "GigabitEthernet0_0_0_0");
}

}  // namespace
}  // namespace flowd
