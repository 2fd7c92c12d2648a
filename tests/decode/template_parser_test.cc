#include "onefirewall_flowd/decode/template_parser.h"

#include <gtest/gtest.h>

#include <map>

#include "hex.h"

namespace flowd {
namespace {

// Collects the records; holds the templates it is given.
struct Collector final : TemplateSetVisitor {
  std::map<uint16_t, Template> templates;
  std::vector<TemplateRecord> records;

  const Template* held(uint16_t id) const override {
    const auto it = templates.find(id);
    return it == templates.end() ? nullptr : &it->second;
  }
  void on_record(TemplateRecord record) override { records.push_back(std::move(record)); }
};

std::vector<TemplateRecord> parse(std::string_view annotated, Dialect dialect, bool options,
                                  DecodeError expected_error = DecodeError::kNone, Collector collector = {}) {
  const auto bytes = test::hex(annotated);
  EXPECT_EQ(parse_template_set(ByteReader(bytes), dialect, options, collector), expected_error);
  return std::move(collector.records);
}

// A collector that holds the one template `annotated` defines.
Collector holding(std::string_view annotated, Dialect dialect, bool options) {
  Collector collector;
  auto records = parse(annotated, dialect, options);
  EXPECT_EQ(records.size(), 1u);
  for (auto& r : records) collector.templates[r.id] = std::move(r.definition);
  return collector;
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

TEST(TemplateParser, ARecordThatRepeatsTheHeldTemplateIsARefresh) {
  constexpr std::string_view kIpfix = "0100 0002 0008 0004 8052 ffff 00000009";
  constexpr std::string_view kV9Options = "0101 0004 0008  0001 0004  0022 0004  0023 0001";
  struct Case {
    std::string_view held, sent;
    Dialect dialect;
    bool held_options, sent_options;
    TemplateRecord::Kind expected;
  };
  const Case cases[] = {
      {kIpfix, kIpfix, Dialect::kIpfix, false, false, TemplateRecord::Kind::kRefresh},
      {kV9Options, kV9Options, Dialect::kNetflowV9, true, true, TemplateRecord::Kind::kRefresh},
      // Another length, enterprise, field count or scope count is a new definition.
      {kIpfix, "0100 0002 0008 0010 8052 ffff 00000009", Dialect::kIpfix, false, false,
       TemplateRecord::Kind::kDefine},
      {kIpfix, "0100 0002 0008 0004 8052 ffff 00000008", Dialect::kIpfix, false, false,
       TemplateRecord::Kind::kDefine},
      {kIpfix, "0100 0001 0008 0004", Dialect::kIpfix, false, false, TemplateRecord::Kind::kDefine},
      {kV9Options, "0101 0008 0004  0001 0004  0022 0004  0023 0001", Dialect::kNetflowV9, true, true,
       TemplateRecord::Kind::kDefine},
      // The same fields as an options template, or under another id.
      {kIpfix, "0100 0002 0001 0008 0004 8052 ffff 00000009", Dialect::kIpfix, false, true,
       TemplateRecord::Kind::kDefine},
      {kIpfix, "0102 0002 0008 0004 8052 ffff 00000009", Dialect::kIpfix, false, false,
       TemplateRecord::Kind::kDefine},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sent);
    const auto records = parse(c.sent, c.dialect, c.sent_options, DecodeError::kNone,
                               holding(c.held, c.dialect, c.held_options));
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].kind, c.expected);
    EXPECT_EQ(records[0].definition.fields.empty(), c.expected == TemplateRecord::Kind::kRefresh);
  }
}

TEST(TemplateParser, ARefreshMovesPastItsFieldsToTheNextRecord) {
  const auto records = parse("0100 0001 0008 0004  0101 0001 000c 0004", Dialect::kNetflowV9, false,
                             DecodeError::kNone, holding("0100 0001 0008 0004", Dialect::kNetflowV9, false));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, TemplateRecord::Kind::kRefresh);
  EXPECT_EQ(records[1].kind, TemplateRecord::Kind::kDefine);
  EXPECT_EQ(records[1].id, 257);
  EXPECT_EQ(records[1].definition.fields[0], (FieldSpec{12, 4, 0}));
}

}  // namespace
}  // namespace flowd
