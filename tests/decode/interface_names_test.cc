// Interface names and descriptions learned from options data (IEs 82/83),
// under caps that an unlisted exporter cannot use to lock a listed one out.
#include "decode_fixture.h"
#include "ipfix_builder.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {
namespace {

using namespace std::chrono_literals;

// Options template 257 (scope ingressInterface; interfaceName, variable
// length) and one options data record per interface.
std::vector<uint8_t> interface_table(uint32_t domain, const std::vector<test::NamedKey>& interfaces) {
  return test::name_table(domain, 10, 82, interfaces);
}

struct InterfaceNames : test::DecodeFixture {
  const IpAddress listed = *IpAddress::parse("192.0.2.100");

  std::string name_of(std::string_view exporter, uint32_t domain, uint32_t index) const {
    const InterfaceTable* table = decoder->interfaces(*IpAddress::parse(exporter), domain);
    if (table == nullptr || !table->contains(index)) return "(none)";
    return std::string(table->at(index).name.view());
  }
  void feed_from(const IpAddress& exporter, const std::vector<uint8_t>& bytes) {
    decoder->decode(Datagram{exporter, 2055, bytes, now}, out);
  }
};

TEST_F(InterfaceNames, OptionsDataNamesInterfacesPerDomainAndARenameReplacesTheName) {
  feed(interface_table(1, {{3, "outside"}, {7, "ge-0/0/7"}}));
  feed(interface_table(2, {{3, "wan1"}}));
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "outside");
  EXPECT_EQ(name_of("192.0.2.1", 1, 7), "ge-0/0/7");
  EXPECT_EQ(name_of("192.0.2.1", 2, 3), "wan1");
  feed(interface_table(1, {{3, "untrust"}}));
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "untrust");
  EXPECT_EQ(decoder->cache().interface_count(), 3u);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST_F(InterfaceNames, ANameLongerThanSixtyFourBytesIsCutNotRefused) {
  feed(interface_table(1, {{3, std::string(100, 'x')}}));
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), std::string(64, 'x'));
}

TEST_F(InterfaceNames, ADomainHoldsAtMostItsCapAndCountsTheRest) {
  limits.interfaces_per_domain = 2;
  reset(limits);
  feed(interface_table(1, {{1, "a"}, {2, "b"}, {3, "c"}}));
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "(none)");
  EXPECT_EQ(errors(DecodeError::kInterfaceCapExceeded), 1u);
  feed(interface_table(1, {{2, "b2"}}));  // a known index is renamed at the cap
  EXPECT_EQ(name_of("192.0.2.1", 1, 2), "b2");
  EXPECT_EQ(errors(DecodeError::kInterfaceCapExceeded), 1u);
}

TEST_F(InterfaceNames, UnlistedExportersFillingTheTotalNeverLockAListedOneOut) {
  TemplateLimits with_list;
  with_list.interfaces_total = 4;
  with_list.admission.listed = [address = listed](const IpAddress& a) { return a == address; };
  reset(with_list);
  for (uint32_t n = 1; n <= 4; ++n) {
    feed_from(IpAddress::from_v4(0x0a000000 + n), interface_table(0, {{n, "spoofed"}}));
  }
  EXPECT_EQ(decoder->cache().interface_count(), 4u);
  feed_from(listed, interface_table(0, {{1, "outside"}, {2, "inside"}}));
  EXPECT_EQ(name_of("192.0.2.100", 0, 1), "outside");
  EXPECT_EQ(name_of("192.0.2.100", 0, 2), "inside");
  EXPECT_EQ(errors(DecodeError::kInterfaceCapExceeded), 0u);
  EXPECT_LE(decoder->cache().interface_count(), 4u);
}

TEST_F(InterfaceNames, NamesExpireWithTheirDomain) {
  feed(interface_table(1, {{3, "outside"}}));
  now += limits.template_lifetime + 1s;
  feed_from(listed, interface_table(0, {{1, "other"}}));  // a later datagram runs the sweep
  EXPECT_EQ(name_of("192.0.2.1", 1, 3), "(none)");
  EXPECT_EQ(decoder->cache().interface_count(), 1u);
}

TEST_F(InterfaceNames, V9OptionsScopedByInterfaceNameThatInterface) {
  feed_hex(R"(0009 0002 00000000 5f5e1000 00000001 00000007
              0001 0014 0101 0004 0004   # options template 257: 4 bytes of scope, 4 of fields
              0002 0004 0052 0008 0000   # scope Interface (type 2); interfaceName, 8 bytes; padding
              0101 0010 00000003 6f75747369646500)");  // interface 3: "outside", NUL-padded
  EXPECT_EQ(name_of("192.0.2.1", 7, 3), "outside");
  EXPECT_EQ(stats.errors.total(), 0u);
}

TEST(InterfaceNameFields, FlowTemplatesSkipInterfaceNamesSoFlowsPayNothingForThem) {
  const std::vector<FieldSpec> fields{{10, 4, 0}, {82, 8, 0}};
  const Template flows = build_template(Dialect::kIpfix, false, 0, fields);
  EXPECT_EQ(flows.slots.size(), 1u);  // ingressInterface only
  const Template options = build_template(Dialect::kIpfix, true, 1, fields);
  EXPECT_EQ(options.slots.size(), 2u);
}

}  // namespace
}  // namespace flowd
