// Allow/Deny from the firewall fields of real vendor exports: each capture is
// decoded, and every record's action is decided as the enricher does.
#include <gtest/gtest.h>

#include <map>

#include "corpus_replay.h"
#include "onefirewall_flowd/enrich/enricher.h"

namespace flowd {
namespace {

std::string logstash(const std::string& name) {
  return "logstash-codec-netflow/" + name;
}

// How many records of the captures get each action, and by which rule.
std::map<std::string, int> actions(const std::vector<std::string>& files,
                                   Action default_action = Action::kAllow) {
  test::CorpusReplay corpus;
  std::string error;
  EXPECT_TRUE(corpus.replay(files, error)) << error;
  ExporterPolicy policy;
  policy.default_action = default_action;
  std::map<std::string, int> out;
  for (const FlowRecord& flow : corpus.records()) {
    Explanation why;
    const Action action = decide_action(policy, flow, &why);
    ++out[std::string(to_string(action)) + " by " + why.action];
  }
  return out;
}

using Counts = std::map<std::string, int>;

TEST(VendorActions, CiscoAsaOldFirmwareEventsAreAllowed) {
  FLOWD_REQUIRE_CAPTURES();
  // Legacy NSEL: event 2 (flow torn down) with extended events 2016/2025, which are not ACL drops.
  EXPECT_EQ(
      actions({logstash("netflow9_test_cisco_asa_1_tpl.dat"), logstash("netflow9_test_cisco_asa_1_data.dat")},
              Action::kDeny),
      (Counts{{"Allow by NSEL firewall event 2", 14}}));
}

TEST(VendorActions, CiscoAsaNewFirmwareEventsAreAllowed) {
  FLOWD_REQUIRE_CAPTURES();
  EXPECT_EQ(actions({logstash("netflow9_test_cisco_asa_2_tpl_26x.dat"),
                     logstash("netflow9_test_cisco_asa_2_tpl_27x.dat"),
                     logstash("netflow9_test_cisco_asa_2_data.dat")},
                    Action::kDeny),
            (Counts{{"Allow by NSEL firewall event 1", 4},
                    {"Allow by NSEL firewall event 2", 8},
                    {"Allow by NSEL firewall event 5", 7}}));
}

TEST(VendorActions, PaloAltoAndBarracudaEventsAreAllowed) {
  FLOWD_REQUIRE_CAPTURES();
  EXPECT_EQ(actions({logstash("netflow9_test_paloalto_panos_tpl.dat"),
                     logstash("netflow9_test_paloalto_panos_data.dat")},
                    Action::kDeny),
            (Counts{{"Allow by NSEL firewall event 1", 7}, {"Allow by NSEL firewall event 5", 1}}));
  EXPECT_EQ(actions({logstash("ipfix_test_barracuda_tpl.dat"), logstash("ipfix_test_barracuda_data256.dat")},
                    Action::kDeny),
            (Counts{{"Allow by NSEL firewall event 2", 8}}));
}

TEST(VendorActions, FortiGateConsumedIsNotADeny) {
  FLOWD_REQUIRE_CAPTURES();
  // forwardingStatus 0x40 forwarded and 0xc3 consumed (top bits 11): both Allow.
  EXPECT_EQ(actions({logstash("netflow9_test_fortigate_fortios_542_appid_tpl258-269.dat"),
                     logstash("netflow9_test_fortigate_fortios_542_appid_data258_262.dat")},
                    Action::kDeny),
            (Counts{{"Allow by forwardingStatus 64", 9}, {"Allow by forwardingStatus 195", 8}}));
}

TEST(VendorActions, JuniperForwardingExceptionIsADeny) {
  FLOWD_REQUIRE_CAPTURES();
  EXPECT_EQ(actions({"akvorado/juniper-cpid-template.pcap", "akvorado/juniper-cpid-data.pcap"}),
            (Counts{{"Deny by forwardingStatus 128", 1}}));
}

TEST(VendorActions, NetflowV5FallsToTheDefaultAction) {
  FLOWD_REQUIRE_CAPTURES();
  const auto counts = actions({logstash("netflow5.dat")}, Action::kDeny);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts.begin()->first, "Deny by default_action");
}

}  // namespace
}  // namespace flowd
