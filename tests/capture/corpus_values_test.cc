// Field values decoded from real exporters, checked against tshark -V and
// against the nfacctd golden output that pmacct ships with its captures.
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#include "corpus_replay.h"

namespace flowd {
namespace {

// A file of the logstash-codec-netflow folder.
std::string logstash(std::string_view name) {
  return "logstash-codec-netflow/" + std::string(name);
}

std::vector<FlowRecord> replay(const std::vector<std::string>& files) {
  test::CorpusReplay r;
  std::string error;
  EXPECT_TRUE(r.replay(files, error)) << error;
  return r.records();
}

template <typename Key>
std::map<Key, int> histogram(const std::vector<FlowRecord>& records, Key (*key)(const FlowRecord&)) {
  std::map<Key, int> counts;
  for (const FlowRecord& r : records) ++counts[key(r)];
  return counts;
}

int firewall_event(const FlowRecord& r) {
  return r.has_firewall_event ? r.firewall_event : -1;
}
int forwarding_status(const FlowRecord& r) {
  return r.has_forwarding_status ? r.forwarding_status : -1;
}
uint32_t sampling(const FlowRecord& r) {
  return r.sampling_interval;
}

TEST(CorpusValues, CiscoAsaLegacyNselEvents) {
  FLOWD_REQUIRE_CAPTURES();
  const auto records =
      replay({logstash("netflow9_test_cisco_asa_1_tpl.dat"), logstash("netflow9_test_cisco_asa_1_data.dat")});
  ASSERT_EQ(records.size(), 14u);
  EXPECT_EQ(histogram(records, firewall_event), (std::map<int, int>{{2, 14}}));  // field 40005
  std::map<int, int> extended;
  for (const FlowRecord& r : records) ++extended[r.has_extended_event ? r.extended_event : -1];
  EXPECT_EQ(extended, (std::map<int, int>{{2016, 1}, {2025, 13}}));  // field 33002
}

TEST(CorpusValues, CiscoAsaIanaFirewallEventAndInitiatorOctets) {
  FLOWD_REQUIRE_CAPTURES();
  const auto records = replay({logstash("netflow9_test_cisco_asa_2_tpl_26x.dat"),
                               logstash("netflow9_test_cisco_asa_2_tpl_27x.dat"),
                               logstash("netflow9_test_cisco_asa_2_data.dat")});
  ASSERT_EQ(records.size(), 19u);
  EXPECT_EQ(histogram(records, firewall_event), (std::map<int, int>{{1, 4}, {2, 8}, {5, 7}}));
  const FlowRecord& first = records.front();
  EXPECT_EQ(first.src_addr.to_string(), "192.168.0.2");
  EXPECT_EQ(first.src_port, 61775);
  EXPECT_EQ(first.dst_addr.to_string(), "192.168.0.17");
  EXPECT_EQ(first.dst_port, 80);
  EXPECT_EQ(first.octets, 81u);                // initiatorOctets (231)
  EXPECT_EQ(first.reverse_octets, 763u);       // responderOctets (232)
  EXPECT_EQ(first.end_ms, 1'469'109'033'015);  // no end stamp: the NSEL event time (323)
  EXPECT_EQ(first.input_interface, 3u);
  EXPECT_EQ(first.output_interface, 4u);
  EXPECT_EQ(first.start_ms, 1'469'109'032'955);  // flowStartMilliseconds (152)
}

TEST(CorpusValues, PaloAltoAndBarracudaFirewallEvents) {
  FLOWD_REQUIRE_CAPTURES();
  EXPECT_EQ(histogram(replay({logstash("netflow9_test_paloalto_panos_tpl.dat"),
                              logstash("netflow9_test_paloalto_panos_data.dat")}),
                      firewall_event),
            (std::map<int, int>{{1, 7}, {5, 1}}));
  EXPECT_EQ(histogram(replay({logstash("ipfix_test_barracuda_tpl.dat"),
                              logstash("ipfix_test_barracuda_data256.dat")}),
                      firewall_event),
            (std::map<int, int>{{2, 8}}));
}

TEST(CorpusValues, ForwardingStatusInOneAndFourByteForms) {
  FLOWD_REQUIRE_CAPTURES();
  // FortiGate sends 1 byte; Cisco IOS XR IPFIX sends 4 bytes.
  EXPECT_EQ(histogram(replay({logstash("netflow9_test_fortigate_fortios_542_appid_tpl258-269.dat"),
                              logstash("netflow9_test_fortigate_fortios_542_appid_data258_262.dat")}),
                      forwarding_status),
            (std::map<int, int>{{0x40, 9}, {0xc3, 8}}));
  EXPECT_EQ(histogram(replay({"pmacct/102-NFv9-CISCO-f2rd-pretag-sampling-reload/traffic-00.pcap"}),
                      forwarding_status),
            (std::map<int, int>{{0x40, 7}, {0xc3, 28}}));
  EXPECT_EQ(histogram(replay({"pmacct/501-IPFIXv10-BGP-IPv6-CISCO-MPLS/traffic-00.pcap"}), forwarding_status),
            (std::map<int, int>{{0x40, 46}, {0xc3, 28}}));
}

TEST(CorpusValues, FlowDirectionIsKeptEvenWhenInvalid) {
  FLOWD_REQUIRE_CAPTURES();
  const auto records = replay({"pmacct/100-IPFIXv10-CISCO/traffic-00.pcap"});
  ASSERT_EQ(records.size(), 12u);
  for (const FlowRecord& r : records) {
    EXPECT_TRUE(r.has_flow_direction);
    EXPECT_EQ(r.flow_direction, 255);
  }
}

TEST(CorpusValues, SamplingFromOptionsDataAndFromRecords) {
  FLOWD_REQUIRE_CAPTURES();
  // v9 options data: sampler id -> FLOW_SAMPLER_RANDOM_INTERVAL, per record.
  EXPECT_EQ(histogram(replay({"akvorado/multiplesamplingrates-options-template.pcap",
                              "akvorado/multiplesamplingrates-options-data.pcap",
                              "akvorado/multiplesamplingrates-template.pcap",
                              "akvorado/multiplesamplingrates-data.pcap"}),
                      sampling),
            (std::map<uint32_t, int>{{2000, 11}, {4000, 1}}));
  EXPECT_EQ(histogram(replay({"akvorado/options-template.pcap", "akvorado/options-data.pcap",
                              "akvorado/template.pcap", "akvorado/data.pcap"}),
                      sampling),
            (std::map<uint32_t, int>{{30000, 4}}));
  // samplingInterval (34) inside the data records themselves.
  EXPECT_EQ(
      histogram(replay({"akvorado/samplingrate-template.pcap", "akvorado/samplingrate-data.pcap"}), sampling),
      (std::map<uint32_t, int>{{2048, 6}}));
  // IPFIX selector options: samplingPopulation / samplingSize (RFC 5477).
  EXPECT_EQ(histogram(replay({"pmacct/104-IPFIXv10-IPv6-CISCO-sampling_option/traffic-00.pcap"}), sampling),
            (std::map<uint32_t, int>{{256, 3}}));
}

TEST(CorpusValues, Rfc5103ReverseCounters) {
  FLOWD_REQUIRE_CAPTURES();
  const auto records = replay({"akvorado/ipfixprobe-templates.pcap", "akvorado/ipfixprobe-data.pcap"});
  ASSERT_EQ(records.size(), 4u);
  uint64_t reverse = 0;
  for (const FlowRecord& r : records) reverse += r.reverse_octets + r.reverse_packets;
  EXPECT_GT(reverse, 0u);
}

TEST(CorpusValues, JuniperForwardingExceptionIsADrop) {
  FLOWD_REQUIRE_CAPTURES();
  // PEN 2636 IE 137, 2 bytes 0x08c3: property type 2, exception code 195.
  const auto records = replay({"akvorado/juniper-cpid-template.pcap", "akvorado/juniper-cpid-data.pcap"});
  ASSERT_EQ(records.size(), 1u);
  ASSERT_TRUE(records[0].has_forwarding_status);
  EXPECT_EQ(records[0].forwarding_status, 0x80);
  EXPECT_EQ(records[0].input_interface, 737u);
  EXPECT_EQ(records[0].output_interface, 0u);
}

// "src > dst proto sport>dport" of each record, for the frame-section captures.
std::vector<std::string> frame_keys(const std::vector<FlowRecord>& records) {
  std::vector<std::string> out;
  for (const FlowRecord& r : records) {
    out.push_back(r.src_addr.to_string() + " > " + r.dst_addr.to_string() + " " + std::to_string(r.protocol) +
                  " " + std::to_string(r.src_port) + ">" + std::to_string(r.dst_port));
  }
  return out;
}

// Juniper MX inline monitoring sends only the sampled frame (IE 315); the keys
// below are tshark's reading of the same frames.
TEST(CorpusValues, JuniperFrameSectionsGiveTheSampledPacketsKeys) {
  FLOWD_REQUIRE_CAPTURES();
  EXPECT_EQ(frame_keys(replay({"akvorado/datalink-template.pcap", "akvorado/datalink-data.pcap"})),
            std::vector<std::string>{"51.51.51.51 > 52.52.52.52 17 55501>11777"});
  // IPv4 in IPv6 (SRv6): the inner packet is the traffic.
  EXPECT_EQ(frame_keys(replay({"akvorado/ipfix-srv6-template.pcap", "akvorado/ipfix-srv6-data.pcap"})),
            std::vector<std::string>{"8.8.8.8 > 213.36.140.100 1 0>0"});
  EXPECT_EQ(frame_keys(replay({"akvorado/juniper-cpid-template.pcap", "akvorado/juniper-cpid-data.pcap"})),
            std::vector<std::string>{"8.8.8.8 > 213.36.140.101 1 0>0"});
}

TEST(CorpusValues, EthernetOverMplsFrameSectionsReachTheInnerPacket) {
  FLOWD_REQUIRE_CAPTURES();
  const auto keys = frame_keys(replay({"akvorado/ethernet-over-mpls-with-control-word-template.pcap",
                                       "akvorado/ethernet-over-mpls-with-control-word-data.pcap"}));
  // The fourth is the one tshark misreads (it takes the control word for Ethernet).
  const std::vector<std::string> expected = {
      "198.51.100.19 > 198.51.100.20 6 80>43908",  "198.51.100.7 > 198.51.100.8 6 443>59706",
      "198.51.100.3 > 198.51.100.4 6 443>28911",   "198.51.100.1 > 198.51.100.2 6 443>55427",
      "198.51.100.5 > 198.51.100.6 17 443>10000",  "198.51.100.9 > 198.51.100.10 6 443>1470",
      "198.51.100.11 > 198.51.100.12 6 443>59522", "198.51.100.13 > 198.51.100.14 6 8887>57478",
      "198.51.100.15 > 198.51.100.16 6 443>6921",  "198.51.100.17 > 198.51.100.18 6 443>64028"};
  EXPECT_EQ(keys, expected);
}

TEST(CorpusValues, DataWithoutAnyTemplateIsHeldNotDecoded) {
  FLOWD_REQUIRE_CAPTURES();
  test::CorpusReplay r;
  std::string error;
  ASSERT_TRUE(r.replay({"graylog-plugin-netflow/netflow-v9-3_incomplete.dat"}, error)) << error;
  EXPECT_TRUE(r.records().empty());
  EXPECT_EQ(r.stats().pending_held.value(), 1u);
}

// True when some record carries the golden line's flow key and counters
// (nfacctd scales counters by the sampling rate).
bool matches_golden(const std::vector<FlowRecord>& records, const nlohmann::json& line) {
  for (const FlowRecord& r : records) {
    if (r.src_addr.to_string() == line["ip_src"] && r.dst_addr.to_string() == line["ip_dst"] &&
        r.src_port == line["port_src"] && r.dst_port == line["port_dst"] &&
        r.octets * r.sampling_interval == line["bytes"] &&
        r.packets * r.sampling_interval == line["packets"] && r.input_interface == line["iface_in"] &&
        r.output_interface == line["iface_out"]) {
      return true;
    }
  }
  return false;
}

class PmacctGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(PmacctGolden, EveryGoldenFlowIsDecoded) {
  FLOWD_REQUIRE_CAPTURES();
  const std::string test_dir = std::string("pmacct/") + GetParam();
  const auto records = replay({test_dir + "/traffic-00.pcap"});
  std::ifstream golden(test::captures_dir() / test_dir / "golden/output-flow-00.json");
  ASSERT_TRUE(golden.good());
  std::string text;
  size_t lines = 0;
  while (std::getline(golden, text)) {
    if (text.empty()) continue;
    ++lines;
    EXPECT_TRUE(matches_golden(records, nlohmann::json::parse(text))) << text;
  }
  EXPECT_GT(lines, 0u);
}

INSTANTIATE_TEST_SUITE_P(Captures, PmacctGolden,
                         ::testing::Values("100-IPFIXv10-CISCO", "101-NFv9-CISCO-cust_primitives",
                                           "104-IPFIXv10-IPv6-CISCO-sampling_option",
                                           "106-IPFIXv10-HUAWEI-vrf_name",
                                           "112-IPFIXv10-CISCO-options-map-reassignment"));

}  // namespace
}  // namespace flowd
