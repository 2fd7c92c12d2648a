#include "onefirewall_flowd/decode/template_parser.h"

#include <gtest/gtest.h>

#include "hex.h"

namespace flowd {
namespace {

std::vector<TemplateRecord> parse(std::string_view annotated, Dialect dialect, bool options,
                                  DecodeError expected_error = DecodeError::kNone) {
  const auto bytes = test::hex(annotated);
  std::vector<TemplateRecord> out;
  EXPECT_EQ(parse_template_set(ByteReader(bytes), dialect, options, out), expected_error);
  return out;
}

TEST(TemplateParser, IpfixEnterpriseAndVariableLengthFields) {
  const auto records = parse(R"(
    0100 0003
    0008 0004               # sourceIPv4Address
    8052 ffff 00000009      # enterprise 9, IE 82, variable length
    0052 ffff               # interfaceName, variable length
  )",
                             Dialect::kIpfix, false);
  ASSERT_EQ(records.size(), 1u);
  const Template& t = records[0].definition;
  EXPECT_EQ(records[0].id, 256);
  ASSERT_EQ(t.fields.size(), 3u);
  EXPECT_EQ(t.fields[1], (FieldSpec{82, kVariableLength, 9}));
  EXPECT_EQ(t.fields[2], (FieldSpec{82, kVariableLength, 0}));
  EXPECT_EQ(t.min_record_length, 4u + 1 + 1);
  EXPECT_FALSE(t.options);
}

TEST(TemplateParser, FixedLayoutsVisitOnlyTheFieldsThatMeanSomething) {
  const auto fixed = parse(R"(
    0100 0003
    0008 0004               # sourceIPv4Address at offset 0
    0038 0006               # sourceMacAddress: not decoded
    000b 0002               # destinationTransportPort at offset 10
  )",
                           Dialect::kIpfix, false);
  ASSERT_EQ(fixed.size(), 1u);
  const Template& t = fixed[0].definition;
  EXPECT_TRUE(t.fixed_layout);
  ASSERT_EQ(t.slots.size(), 2u);
  EXPECT_EQ(t.slots[1].offset, 10);
  EXPECT_EQ(t.slots[1].length, 2);
  const auto variable = parse("0100 0002 0008 0004 0052 ffff", Dialect::kIpfix, false);
  EXPECT_FALSE(variable[0].definition.fixed_layout);
  EXPECT_TRUE(variable[0].definition.slots.empty());
}

TEST(TemplateParser, IpfixOptionsTemplateKeepsItsScopeCount) {
  const auto records = parse("0101 0002 0001 0030 0001 0022 0004", Dialect::kIpfix, true);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].definition.options);
  EXPECT_EQ(records[0].definition.scope_field_count, 1);
}

TEST(TemplateParser, IpfixWithdrawalsAndPadding) {
  const auto records = parse("0100 0000  0002 0000  000000", Dialect::kIpfix, false);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, TemplateRecord::Kind::kWithdraw);
  EXPECT_EQ(records[1].kind, TemplateRecord::Kind::kWithdrawAll);
}

TEST(TemplateParser, V9OptionsLengthsAreInBytes) {
  const auto records =
      parse("0101 0004 0008  0001 0004  0022 0004  0023 0001  0000", Dialect::kNetflowV9, true);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].definition.fields.size(), 3u);
  EXPECT_EQ(records[0].definition.scope_field_count, 1);
  EXPECT_EQ(records[0].definition.min_record_length, 9u);
}

TEST(TemplateParser, V9HasNoEnterpriseBit) {
  const auto records = parse("0100 0001 9c45 0001", Dialect::kNetflowV9, false);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].definition.fields[0], (FieldSpec{40005, 1, 0}));
}

TEST(TemplateParser, KeepsGoodRecordsBeforeABadOne) {
  const auto records = parse("0100 0001 0008 0004  0005 0001 0008 0004", Dialect::kNetflowV9, false,
                             DecodeError::kBadTemplate);  // template id 5 is reserved
  EXPECT_EQ(records.size(), 1u);
  parse("0100 0002 0008 0004", Dialect::kIpfix, false, DecodeError::kBadTemplate);  // field missing
  parse("0101 0004 0006 0001 0004 0022", Dialect::kNetflowV9, true,
        DecodeError::kBadOptionsTemplate);  // option length not a multiple of 4
}

}  // namespace
}  // namespace flowd
