// The per-template decode plan must do exactly what apply_field does: every
// kind at every width, alone and next to every other kind, in both dialects.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "onefirewall_flowd/decode/field_kind.h"
#include "onefirewall_flowd/decode/record_fields.h"
#include "onefirewall_flowd/decode/slot_op.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {
namespace {

constexpr uint32_t kReversePen = 29305;
constexpr uint32_t kJuniperPen = 2636;
constexpr FieldSpec kPadding{210, 3, 0};   // paddingOctets: not decoded
constexpr FieldSpec kSourceMac{56, 6, 0};  // not decoded

// Fails to compile when FlowRecord grows, so that flow_members gets the new member.
static_assert(sizeof(FlowRecord) == 144);

auto flow_members(const FlowRecord& f) {
  return std::tie(f.exporter, f.domain, f.version, f.src_addr, f.dst_addr, f.src_port, f.dst_port, f.protocol,
                  f.tcp_flags, f.tos, f.input_interface, f.output_interface, f.ingress_vrf, f.egress_vrf,
                  f.octets, f.packets, f.reverse_octets, f.reverse_packets, f.sampling_interval, f.start_ms,
                  f.end_ms, f.has_firewall_event, f.firewall_event, f.has_extended_event, f.extended_event,
                  f.has_forwarding_status, f.forwarding_status, f.has_flow_direction, f.flow_direction,
                  f.has_biflow_direction, f.biflow_direction);
}

auto field_members(const RecordFields& f) {
  return std::tie(f.octets.value, f.octets.rank, f.packets.value, f.packets.rank, f.reverse_octets.value,
                  f.reverse_octets.rank, f.reverse_packets.value, f.reverse_packets.rank, f.first_uptime_ms,
                  f.last_uptime_ms, f.start_ms, f.end_ms, f.observation_ms, f.system_init_ms, f.sampler_id,
                  f.sampling_interval, f.packet_interval, f.packet_space, f.sampling_size,
                  f.sampling_population);
}

// Every IE, v9 field type and enterprise IE that means something to a flow.
std::vector<FieldSpec> meaningful_fields() {
  std::vector<FieldSpec> out;
  for (uint16_t id = 0; id < 1024; ++id) {
    if (kind_of({id, 0, 0}) != FieldKind::kIgnored) out.push_back({id, 0, 0});
  }
  for (uint16_t id : {33002, 40005}) out.push_back({id, 0, 0});
  for (uint16_t id : {1, 2, 85, 86}) out.push_back({id, 0, kReversePen});
  out.push_back({137, 0, kJuniperPen});
  return out;
}

FieldSpec with_length(FieldSpec f, uint16_t length) {
  f.length = length;
  return f;
}

// Random bytes, half of them zero so that leading-zero cases (IE 89's low
// byte, epoch stamps in range) come up; the first two patterns are all 0 and all 0xff.
std::vector<uint8_t> record_bytes(size_t n, int pattern, std::mt19937& rng) {
  std::vector<uint8_t> out(n);
  for (uint8_t& b : out) {
    if (pattern < 2) {
      b = pattern == 0 ? 0 : 0xff;
    } else {
      b = (rng() & 1) != 0 ? 0 : static_cast<uint8_t>(rng());
    }
  }
  return out;
}

// The reference: apply_field on every field in template order.
void decode_generic(const Template& t, std::span<const uint8_t> record, RecordFields& fields) {
  size_t offset = 0;
  for (size_t i = 0; i < t.fields.size(); ++i) {
    apply_field(t.kinds[i], record.subspan(offset, t.fields[i].length), fields);
    offset += t.fields[i].length;
  }
}

struct Comparison {
  bool same = false;
  size_t fast_slots = 0;
};

Comparison compare_paths(const Template& t, const std::vector<uint8_t>& record) {
  FlowRecord planned_flow, generic_flow;
  RecordFields planned(planned_flow), generic(generic_flow);
  ByteReader reader(record);
  if (!t.fixed_layout || !read_record(reader, t, planned) || !reader.empty()) return {};
  decode_generic(t, record, generic);
  Comparison c;
  c.same = flow_members(planned_flow) == flow_members(generic_flow) &&
           field_members(planned) == field_members(generic);
  for (const FieldSlot& slot : t.slots) c.fast_slots += slot.op != SlotOp::kGeneric ? 1 : 0;
  return c;
}

std::string describe(Dialect dialect, const std::vector<FieldSpec>& fields, int pattern) {
  std::string s = dialect == Dialect::kIpfix ? "ipfix" : "v9";
  for (const FieldSpec& f : fields) {
    s += " " + std::to_string(f.enterprise) + "/" + std::to_string(f.id) + ":" + std::to_string(f.length);
  }
  return s + " pattern " + std::to_string(pattern);
}

// Byte patterns [first, end) of a record of these fields decode as the generic path does.
void expect_same_as_generic(Dialect dialect, const std::vector<FieldSpec>& fields, std::mt19937& rng,
                            int first = 0, int end = 10) {
  const Template t = build_template(dialect, false, 0, fields);
  for (int pattern = first; pattern < end; ++pattern) {
    const Comparison c = compare_paths(t, record_bytes(t.min_record_length, pattern, rng));
    ASSERT_TRUE(c.same) << describe(dialect, fields, pattern);
  }
}

TEST(SlotPlan, TestsCoverEveryFieldKind) {
  std::vector<bool> seen(static_cast<size_t>(FieldKind::kJuniperCommonProperties) + 1);
  for (const FieldSpec& f : meaningful_fields()) seen[static_cast<size_t>(kind_of(f))] = true;
  for (size_t k = 1; k < seen.size(); ++k) EXPECT_TRUE(seen[k]) << "FieldKind " << k;
}

TEST(SlotPlan, EveryKindAtEveryWidthDecodesAsTheGenericPath) {
  std::mt19937 rng(7);
  size_t fast_slots = 0;
  for (Dialect dialect : {Dialect::kIpfix, Dialect::kNetflowV9}) {
    for (const FieldSpec& f : meaningful_fields()) {
      for (uint16_t width = 1; width <= 16; ++width) {
        const std::vector<FieldSpec> fields = {kPadding, with_length(f, width), kSourceMac};
        const Template t = build_template(dialect, false, 0, fields);
        for (int pattern = 0; pattern < 10; ++pattern) {
          const Comparison c = compare_paths(t, record_bytes(t.min_record_length, pattern, rng));
          ASSERT_TRUE(c.same) << describe(dialect, fields, pattern);
          fast_slots += c.fast_slots;
        }
      }
    }
  }
  EXPECT_GT(fast_slots, 0u);
}

// Ranked counters, the Juniper property after IE 89 and repeated stamps
// depend on what an earlier field of the same record did.
TEST(SlotPlan, EveryPairOfKindsDecodesAsTheGenericPath) {
  std::mt19937 rng(11);
  const std::vector<FieldSpec> all = meaningful_fields();
  for (Dialect dialect : {Dialect::kIpfix, Dialect::kNetflowV9}) {
    for (const FieldSpec& a : all) {
      for (const FieldSpec& b : all) {
        for (uint16_t width_a : {1, 2, 4, 8, 16}) {
          for (uint16_t width_b : {1, 2, 4, 8, 16}) {
            expect_same_as_generic(dialect, {with_length(a, width_a), with_length(b, width_b)}, rng, 1, 4);
          }
        }
      }
    }
  }
}

TEST(SlotPlan, V9ScopeFieldsStayUndecoded) {
  std::mt19937 rng(13);
  for (const FieldSpec& f : meaningful_fields()) {
    if (f.id == 2) continue;  // scope type 2 (Interface) is the next test's
    const std::vector<FieldSpec> fields = {with_length(f, 4), with_length(f, 4)};
    const Template t = build_template(Dialect::kNetflowV9, true, 1, fields);
    ASSERT_EQ(t.slots.size(), 1u);
    EXPECT_EQ(t.slots[0].offset, 4);
    const Comparison c = compare_paths(t, record_bytes(t.min_record_length, 2, rng));
    ASSERT_TRUE(c.same) << describe(Dialect::kNetflowV9, fields, 2);
  }
}

TEST(SlotPlan, V9InterfaceScopeIsTheInputInterface) {
  const Template t = build_template(Dialect::kNetflowV9, true, 1, {{2, 4, 0}, {82, 8, 0}});
  ASSERT_EQ(t.slots.size(), 2u);
  EXPECT_EQ(t.slots[0].kind, FieldKind::kInputInterface);
  EXPECT_EQ(t.slots[1].kind, FieldKind::kInterfaceName);
}

// The layouts flowd-load and the common exporters send must not fall back
// to the generic path, or the plan buys nothing.
TEST(SlotPlan, CommonLayoutsTakeOnlyFastOps) {
  const std::vector<FieldSpec> v9 = {{8, 4, 0},  {12, 4, 0}, {7, 2, 0},  {11, 2, 0},  {4, 1, 0},  {6, 1, 0},
                                     {10, 2, 0}, {14, 2, 0}, {1, 4, 0},  {2, 4, 0},   {22, 4, 0}, {21, 4, 0},
                                     {5, 1, 0},  {61, 1, 0}, {89, 1, 0}, {27, 16, 0}, {28, 16, 0}};
  const std::vector<FieldSpec> ipfix = {
      {8, 4, 0},           {12, 4, 0},          {7, 2, 0},   {11, 2, 0},  {4, 1, 0},   {6, 2, 0},
      {10, 4, 0},          {14, 4, 0},          {1, 8, 0},   {2, 8, 0},   {152, 8, 0}, {153, 8, 0},
      {85, 8, 0},          {86, 8, 0},          {150, 4, 0}, {151, 4, 0}, {239, 1, 0}, {233, 1, 0},
      {1, 8, kReversePen}, {2, 8, kReversePen}, {231, 8, 0}, {232, 8, 0}, {298, 4, 0}, {299, 4, 0},
      {323, 8, 0},         {33002, 2, 0}};
  for (const auto& [dialect, fields] :
       {std::pair{Dialect::kNetflowV9, v9}, std::pair{Dialect::kIpfix, ipfix}}) {
    const Template t = build_template(dialect, false, 0, fields);
    size_t covered = 0;  // fused slots cover two fields
    for (const FieldSlot& slot : t.slots) {
      EXPECT_NE(slot.op, SlotOp::kGeneric) << "offset " << slot.offset << " width " << slot.length;
      covered += slot.length;
    }
    EXPECT_EQ(covered, t.min_record_length);
  }
}

bool is_fused(SlotOp op) {
  return op >= SlotOp::kAddrPair4;
}

// The pairs of meaningful fields, both at the given width, that one fused op decodes.
std::vector<std::pair<FieldSpec, FieldSpec>> fusable_pairs(Dialect dialect, uint16_t width) {
  std::vector<std::pair<FieldSpec, FieldSpec>> out;
  const std::vector<FieldSpec> all = meaningful_fields();
  for (const FieldSpec& a : all) {
    for (const FieldSpec& b : all) {
      const Template t = build_template(dialect, false, 0, {with_length(a, width), with_length(b, width)});
      if (t.slots.size() == 1 && is_fused(t.slots[0].op)) out.emplace_back(t.fields[0], t.fields[1]);
    }
  }
  return out;
}

// A fused op reads both fields at the first's offset and applies them in
// template order, so that fields around it still override or lose to it.
TEST(SlotPlan, EveryFusablePairDecodesAsTheGenericPath) {
  std::mt19937 rng(17);
  std::vector<bool> fused_ops_seen(static_cast<size_t>(SlotOp::kMillisPair8) + 1);
  for (Dialect dialect : {Dialect::kIpfix, Dialect::kNetflowV9}) {
    for (uint16_t width : {1, 2, 4, 8, 16}) {
      for (const auto& [a, b] : fusable_pairs(dialect, width)) {
        const Template t = build_template(dialect, false, 0, {kPadding, a, b, kSourceMac});
        ASSERT_EQ(t.slots.size(), 1u) << describe(dialect, t.fields, 0);
        EXPECT_EQ(t.slots[0].offset, kPadding.length);
        fused_ops_seen[static_cast<size_t>(t.slots[0].op)] = true;
        expect_same_as_generic(dialect, t.fields, rng);
        expect_same_as_generic(dialect, {a, b, a, b}, rng);
        expect_same_as_generic(dialect, {b, a, b, a}, rng);
      }
    }
  }
  for (size_t op = static_cast<size_t>(SlotOp::kAddrPair4); op < fused_ops_seen.size(); ++op) {
    EXPECT_TRUE(fused_ops_seen[op]) << "fused SlotOp " << op << " never planned";
  }
}

TEST(SlotPlan, PairsWithAGapBetweenAreNotFused) {
  std::mt19937 rng(19);
  for (Dialect dialect : {Dialect::kIpfix, Dialect::kNetflowV9}) {
    for (uint16_t width : {2, 4, 8}) {
      for (const auto& [a, b] : fusable_pairs(dialect, width)) {
        const Template t = build_template(dialect, false, 0, {a, kPadding, b});
        ASSERT_EQ(t.slots.size(), 2u) << describe(dialect, t.fields, 0);
        EXPECT_FALSE(is_fused(t.slots[0].op) || is_fused(t.slots[1].op));
        expect_same_as_generic(dialect, t.fields, rng);
      }
    }
  }
}

TEST(SlotPlan, PairsInAnotherOrderOrOfMixedWidthsAreNotFused) {
  std::mt19937 rng(23);
  const std::vector<std::vector<FieldSpec>> layouts = {
      {{12, 4, 0}, {8, 4, 0}},     // destination before source address
      {{11, 2, 0}, {7, 2, 0}},     // destination before source port
      {{14, 4, 0}, {10, 4, 0}},    // output before input interface
      {{153, 8, 0}, {152, 8, 0}},  // end before start
      {{1, 4, 0}, {2, 8, 0}},      // octets and packets of different widths
      {{10, 2, 0}, {14, 4, 0}},    // interfaces of different widths
      {{8, 4, 0}, {8, 4, 0}},      // a repeated IE
  };
  for (Dialect dialect : {Dialect::kIpfix, Dialect::kNetflowV9}) {
    for (const std::vector<FieldSpec>& fields : layouts) {
      const Template t = build_template(dialect, false, 0, fields);
      ASSERT_EQ(t.slots.size(), 2u) << describe(dialect, fields, 0);
      EXPECT_FALSE(is_fused(t.slots[0].op) || is_fused(t.slots[1].op));
      expect_same_as_generic(dialect, fields, rng);
    }
  }
}

// flowd-load's templates (bench/load/template_encoders.cc) are what the
// hot-path benchmark decodes: their adjacent pairs must stay fused.
TEST(SlotPlan, LoadToolTemplatesAreFused) {
  using enum SlotOp;
  const std::vector<FieldSpec> v9 = {{8, 4, 0},  {12, 4, 0}, {7, 2, 0}, {11, 2, 0}, {4, 1, 0},  {6, 1, 0},
                                     {10, 2, 0}, {14, 2, 0}, {1, 4, 0}, {2, 4, 0},  {22, 4, 0}, {21, 4, 0}};
  const std::vector<FieldSpec> ipfix = {{8, 4, 0}, {12, 4, 0}, {7, 2, 0},   {11, 2, 0},
                                        {4, 1, 0}, {6, 1, 0},  {10, 4, 0},  {14, 4, 0},
                                        {1, 8, 0}, {2, 8, 0},  {152, 8, 0}, {153, 8, 0}};
  const std::vector<SlotOp> v9_ops = {kAddrPair4,      kPortPair2,      kProtocol1,  kTcpFlags1,
                                      kInterfacePair2, kOctetsPackets4, kUptimePair4};
  const std::vector<SlotOp> ipfix_ops = {kAddrPair4,      kPortPair2,      kProtocol1,  kTcpFlags1,
                                         kInterfacePair4, kOctetsPackets8, kMillisPair8};
  std::mt19937 rng(29);
  for (const auto& [dialect, fields, ops] :
       {std::tuple{Dialect::kNetflowV9, v9, v9_ops}, std::tuple{Dialect::kIpfix, ipfix, ipfix_ops}}) {
    const Template t = build_template(dialect, false, 0, fields);
    std::vector<SlotOp> planned;
    for (const FieldSlot& slot : t.slots) planned.push_back(slot.op);
    EXPECT_EQ(planned, ops) << describe(dialect, fields, 0);
    expect_same_as_generic(dialect, fields, rng);
  }
}

}  // namespace
}  // namespace flowd
