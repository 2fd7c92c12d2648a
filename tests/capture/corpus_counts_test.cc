#include "corpus_replay.h"

namespace flowd {
namespace {

// One replay group of ../shared/captures (SOURCES.md): files sent in order
// from one exporter, and what the whole group must decode to.
struct GroupCase {
  std::vector<std::string> files;
  size_t records;   // flow records (options data records are not flows)
  uint64_t held;    // data sets that arrived before their template
  uint64_t errors;  // decode errors of any reason
};

// Counts were cross-checked against tshark 4.0 ("Flow N" lines of -V) on the
// same groups. Where they differ, tshark counts options data records as
// flows, stops at the v9 header count (graylog netflow9.pcap, netflow-v9-1,
// netflow9_test_invalid01 carry more FlowSets than their count says), stops
// at a malformed field (h3c_data3281: 16 records, tshark shows 1), or cannot
// decode data that precedes its template (data+templates.pcap,
// nprobe-netflow9-4.pcap), which is held here and decoded when it comes.
const std::vector<GroupCase>& groups() {
  // clang-format off
  static const std::vector<GroupCase> cases = {
    {{"logstash-codec-netflow/netflow9_test_macaddr_tpl.dat",
      "logstash-codec-netflow/netflow9_test_macaddr_data.dat"},
     29, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_aci_tpl256-258.dat",
      "logstash-codec-netflow/netflow9_test_cisco_aci_data256.dat"},
     3, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_asa_1_tpl.dat",
      "logstash-codec-netflow/netflow9_test_cisco_asa_1_data.dat"},
     14, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_asa_2_tpl_26x.dat",
      "logstash-codec-netflow/netflow9_test_cisco_asa_2_tpl_27x.dat",
      "logstash-codec-netflow/netflow9_test_cisco_asa_2_data.dat"},
     19, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_nprobe_tpl.dat",
      "logstash-codec-netflow/netflow9_test_valid01.dat",
      "logstash-codec-netflow/netflow9_test_nprobe_data.dat"},
     8, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_openbsd_pflow_tpl.dat",
      "logstash-codec-netflow/ipfix_test_openbsd_pflow_data.dat"},
     26, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_h3c_tpl3281.dat",
      "logstash-codec-netflow/netflow9_test_h3c_data3281.dat"},
     16, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_h3c_netstream_varstring_tpl3281.dat",
      "logstash-codec-netflow/netflow9_test_h3c_netstream_varstring_data3281.dat"},
     1, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_paloalto_81_tpl256-263.dat",
      "logstash-codec-netflow/netflow9_test_paloalto_81_data257_1flowset_in_large_zerofilled_packet.dat"},
     1, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_paloalto_panos_tpl.dat",
      "logstash-codec-netflow/netflow9_test_paloalto_panos_data.dat"},
     8, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_fortigate_fortios_542_appid_tpl258-269.dat",
      "logstash-codec-netflow/netflow9_test_fortigate_fortios_542_appid_data258_262.dat"},
     17, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_fortigate_fortios_521_tpl.dat",
      "logstash-codec-netflow/netflow9_test_fortigate_fortios_521_data256.dat",
      "logstash-codec-netflow/netflow9_test_fortigate_fortios_521_data257.dat"},
     1, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_juniper_mx240_junos151r6s3_opttpl512.dat",
      "logstash-codec-netflow/ipfix_test_juniper_mx240_junos151r6s3_data512.dat"},
     0, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_nokia_bras_tpl.dat",
      "logstash-codec-netflow/ipfix_test_nokia_bras_data256.dat"},
     1, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_procera_tpl52935.dat",
      "logstash-codec-netflow/ipfix_test_procera_data52935.dat"},
     8, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_barracuda_extended_uniflow_tpl256.dat",
      "logstash-codec-netflow/ipfix_test_barracuda_extended_uniflow_data256.dat"},
     2, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_barracuda_tpl.dat",
      "logstash-codec-netflow/ipfix_test_barracuda_data256.dat"},
     8, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_ubnt_edgerouter_tpl.dat",
      "logstash-codec-netflow/netflow9_test_ubnt_edgerouter_data1024.dat",
      "logstash-codec-netflow/netflow9_test_ubnt_edgerouter_data1025.dat"},
     16, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_streamcore_tpl_data256.dat",
      "logstash-codec-netflow/netflow9_test_streamcore_tpl_data260.dat"},
     4, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_mikrotik_tpl.dat",
      "logstash-codec-netflow/ipfix_test_mikrotik_data258.dat",
      "logstash-codec-netflow/ipfix_test_mikrotik_data259.dat"},
     46, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_netscaler_tpl.dat",
      "logstash-codec-netflow/ipfix_test_netscaler_data.dat"},
     3, 1, 0},
    {{"logstash-codec-netflow/ipfix_test_vmware_vds_tpl.dat",
      "logstash-codec-netflow/ipfix_test_vmware_vds_data264.dat",
      "logstash-codec-netflow/ipfix_test_vmware_vds_data266.dat",
      "logstash-codec-netflow/ipfix_test_vmware_vds_data266_267.dat"},
     5, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl256.dat",
      "logstash-codec-netflow/netflow9_test_cisco_asr9k_data256.dat"},
     0, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_asr9k_tpl260.dat",
      "logstash-codec-netflow/netflow9_test_cisco_asr9k_data260.dat"},
     21, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_huawei_netstream_tpl.dat",
      "logstash-codec-netflow/netflow9_test_huawei_netstream_data.dat"},
     1, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_field_layer2segmentid_tpl.dat",
      "logstash-codec-netflow/netflow9_test_field_layer2segmentid_data.dat"},
     1, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_nbar_tpl262.dat",
      "logstash-codec-netflow/netflow9_test_cisco_nbar_data262.dat"},
     5, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_wlc_tpl.dat",
      "logstash-codec-netflow/netflow9_test_cisco_wlc_data261.dat"},
     19, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_viptela_tpl257.dat",
      "logstash-codec-netflow/ipfix_test_viptela_data257.dat"},
     1, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_yaf_tpls_option_tpl.dat",
      "logstash-codec-netflow/ipfix_test_yaf_tpl45841.dat",
      "logstash-codec-netflow/ipfix_test_yaf_data45841.dat",
      "logstash-codec-netflow/ipfix_test_yaf_data45873.dat",
      "logstash-codec-netflow/ipfix_test_yaf_data53248.dat"},
     2, 0, 0},
    {{"akvorado/options-template.pcap",
      "akvorado/options-data.pcap",
      "akvorado/template.pcap",
      "akvorado/data.pcap"},
     4, 0, 0},
    {{"akvorado/icmp-template.pcap", "akvorado/icmp-data.pcap"}, 4, 0, 0},
    {{"akvorado/multiplesamplingrates-options-template.pcap",
      "akvorado/multiplesamplingrates-options-data.pcap",
      "akvorado/multiplesamplingrates-template.pcap",
      "akvorado/multiplesamplingrates-data.pcap"},
     12, 0, 0},
    {{"akvorado/samplingrate-template.pcap", "akvorado/samplingrate-data.pcap"}, 6, 0, 0},
    {{"akvorado/datalink-template.pcap", "akvorado/datalink-data.pcap"}, 1, 0, 0},
    {{"akvorado/ipfix-srv6-template.pcap", "akvorado/ipfix-srv6-data.pcap"}, 1, 0, 0},
    {{"akvorado/juniper-cpid-template.pcap", "akvorado/juniper-cpid-data.pcap"}, 1, 0, 0},
    {{"akvorado/ethernet-over-mpls-with-control-word-template.pcap",
      "akvorado/ethernet-over-mpls-with-control-word-data.pcap"},
     10, 0, 0},
    {{"akvorado/ipfixprobe-templates.pcap", "akvorado/ipfixprobe-data.pcap"}, 4, 0, 0},
    {{"graylog-plugin-netflow/netflow-v9-2-1.dat",
      "graylog-plugin-netflow/netflow-v9-2-2.dat",
      "graylog-plugin-netflow/netflow-v9-2-3.dat"},
     2, 0, 0},
    {{"akvorado/data+templates.pcap"}, 21, 1, 0},
    {{"akvorado/mpls.pcap"}, 2, 0, 0},
    {{"akvorado/nat.pcap"}, 9, 0, 0},
    {{"akvorado/nfv5.pcap"}, 29, 0, 0},
    {{"akvorado/physicalinterfaces.pcap"}, 8, 0, 0},
    {{"graylog-plugin-netflow/netflow-v5-2.dat"}, 30, 0, 0},
    {{"graylog-plugin-netflow/netflow-v9-1.dat"}, 6, 0, 0},
    {{"graylog-plugin-netflow/netflow-v9-3_incomplete.dat"}, 0, 1, 0},
    {{"graylog-plugin-netflow/netflow5.pcap"}, 4, 0, 0},
    {{"graylog-plugin-netflow/netflow9.pcap"}, 21, 0, 0},
    {{"graylog-plugin-netflow/netgraph-netflow5.pcap"}, 120, 0, 0},
    {{"graylog-plugin-netflow/nprobe-netflow9-2.pcap"}, 6, 0, 0},
    {{"graylog-plugin-netflow/nprobe-netflow9-3.pcap"}, 892, 0, 0},
    {{"graylog-plugin-netflow/nprobe-netflow9-4.pcap"}, 15, 2, 0},
    {{"graylog-plugin-netflow/nprobe-netflow9.pcap"}, 152, 0, 0},
    {{"graylog-plugin-netflow/pmacctd-netflow5.pcap"}, 42, 0, 0},
    {{"graylog-plugin-netflow/pmacctd-netflow9.pcap"}, 6, 0, 0},
    {{"ipfixcol2/example_flows.ipfix"}, 3979, 0, 0},
    {{"logstash-codec-netflow/ipfix.dat"}, 12, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_ixia_tpldata256.dat"}, 1, 0, 0},
    {{"logstash-codec-netflow/ipfix_test_ixia_tpldata271.dat"}, 2, 0, 0},
    {{"logstash-codec-netflow/netflow5.dat"}, 30, 0, 0},
    {{"logstash-codec-netflow/netflow5_test_invalid01.dat"}, 0, 0, 1},
    {{"logstash-codec-netflow/netflow5_test_invalid02.dat"}, 0, 0, 1},
    {{"logstash-codec-netflow/netflow5_test_juniper_mx80.dat"}, 29, 0, 0},
    {{"logstash-codec-netflow/netflow5_test_microtik.dat"}, 30, 0, 0},
    {{"logstash-codec-netflow/netflow9_cisco_asr1001x_tpl259.dat"}, 25, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_0length_fields_tpl_data.dat"}, 10, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_1941K9.dat"}, 29, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl257.dat"}, 0, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl334.dat"}, 0, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_asr9k_tpl266.dat"}, 0, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_nbar_opttpl260.dat"}, 0, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_cisco_wlc_8510_tpl_262.dat"}, 0, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_invalid01.dat"}, 2, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_iptnetflow_reduced_size_encoding_tpldata260.dat"}, 12, 6, 0},
    {{"logstash-codec-netflow/netflow9_test_juniper_srx_tplopt.dat"}, 0, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_nprobe_dpi.dat"}, 1, 0, 0},
    {{"logstash-codec-netflow/netflow9_test_unknown_tpl266_292_data.dat"}, 2, 0, 0},
    {{"pmacct/100-IPFIXv10-CISCO/traffic-00.pcap"}, 12, 0, 0},
    {{"pmacct/101-NFv9-CISCO-cust_primitives/traffic-00.pcap"}, 51, 0, 0},
    {{"pmacct/102-NFv9-CISCO-f2rd-pretag-sampling-reload/traffic-00.pcap"}, 35, 0, 0},
    {{"pmacct/104-IPFIXv10-IPv6-CISCO-sampling_option/traffic-00.pcap"}, 3, 0, 0},
    {{"pmacct/106-IPFIXv10-HUAWEI-vrf_name/traffic-00.pcap"}, 3, 0, 0},
    {{"pmacct/111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources/traffic-00.pcap"}, 11, 0, 0},
    {{"pmacct/111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources/traffic-01.pcap"}, 13, 0, 0},
    {{"pmacct/112-IPFIXv10-CISCO-options-map-reassignment/traffic-00.pcap"}, 9, 4, 0},
    {{"pmacct/500-IPFIXv10-BGP-CISCO-SRv6/traffic-00.pcap"}, 43, 0, 0},
    {{"pmacct/501-IPFIXv10-BGP-IPv6-CISCO-MPLS/traffic-00.pcap"}, 74, 0, 0},
    {{"scapy/ipfix.pcap"}, 1, 0, 0},
    {{"scapy/netflowv9.pcap"}, 24, 0, 0},
  };
  // clang-format on
  return cases;
}

std::string name_of(const ::testing::TestParamInfo<size_t>& info) {
  std::string name = groups()[info.param].files.back();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name + "_" + std::to_string(info.param);
}

class CorpusGroup : public ::testing::TestWithParam<size_t> {};

TEST_P(CorpusGroup, DecodesTheExpectedRecords) {
  FLOWD_REQUIRE_CAPTURES();
  const GroupCase& group = groups()[GetParam()];
  test::CorpusReplay replay;
  std::string error;
  ASSERT_TRUE(replay.replay(group.files, error)) << error;
  EXPECT_EQ(replay.records().size(), group.records);
  EXPECT_EQ(replay.stats().pending_held.value(), group.held);
  EXPECT_EQ(replay.stats().errors.total(), group.errors);
  for (const FlowRecord& record : replay.records()) {
    EXPECT_TRUE(record.version == 5 || record.version == 9 || record.version == 10);
    EXPECT_GT(record.end_ms, 0) << "every record gets a time";
    EXPECT_GE(record.sampling_interval, 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Captures, CorpusGroup, ::testing::Range<size_t>(0, groups().size()), name_of);

}  // namespace
}  // namespace flowd
