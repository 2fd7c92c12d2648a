#include "onefirewall_flowd/decode/slot_op.h"

namespace flowd {
namespace {

// The ranks RankedCount::offer gets from apply_field: deltas beat totals,
// which beat the NSEL initiator/responder counters.
constexpr uint8_t kDeltaRank = 3;
constexpr uint8_t kTotalRank = 2;
constexpr uint8_t kNselRank = 1;

// A counter of 4 or 8 bytes; other widths take the generic path.
SlotPlan counter(uint16_t length, SlotOp four, SlotOp eight, uint8_t rank) {
  if (length == 4) return {four, rank};
  if (length == 8) return {eight, rank};
  return {};
}

SlotPlan only(uint16_t length, uint16_t width, SlotOp op) {
  return length == width ? SlotPlan{op} : SlotPlan{};
}

SlotPlan one_of(uint16_t length, uint16_t width_a, SlotOp op_a, uint16_t width_b, SlotOp op_b) {
  if (length == width_a) return {op_a};
  return only(length, width_b, op_b);
}

SlotPlan plan_counter(FieldKind kind, uint16_t length) {
  using enum SlotOp;
  switch (kind) {
    case FieldKind::kOctets: return counter(length, kOctets4, kOctets8, kDeltaRank);
    case FieldKind::kPackets: return counter(length, kPackets4, kPackets8, kDeltaRank);
    case FieldKind::kOctetsTotal: return counter(length, kOctets4, kOctets8, kTotalRank);
    case FieldKind::kPacketsTotal: return counter(length, kPackets4, kPackets8, kTotalRank);
    case FieldKind::kInitiatorOctets: return counter(length, kOctets4, kOctets8, kNselRank);
    case FieldKind::kInitiatorPackets: return counter(length, kPackets4, kPackets8, kNselRank);
    case FieldKind::kResponderOctets: return counter(length, kReverseOctets4, kReverseOctets8, kNselRank);
    case FieldKind::kResponderPackets: return counter(length, kReversePackets4, kReversePackets8, kNselRank);
    case FieldKind::kReverseOctets: return counter(length, kReverseOctets4, kReverseOctets8, kDeltaRank);
    case FieldKind::kReversePackets: return counter(length, kReversePackets4, kReversePackets8, kDeltaRank);
    case FieldKind::kReverseOctetsTotal: return counter(length, kReverseOctets4, kReverseOctets8, kTotalRank);
    case FieldKind::kReversePacketsTotal:
      return counter(length, kReversePackets4, kReversePackets8, kTotalRank);
    default: return {};
  }
}

SlotPlan plan_time(FieldKind kind, uint16_t length) {
  using enum SlotOp;
  switch (kind) {
    case FieldKind::kFirstUptime: return only(length, 4, kFirstUptime4);
    case FieldKind::kLastUptime: return only(length, 4, kLastUptime4);
    case FieldKind::kStartSeconds: return only(length, 4, kStartSeconds4);
    case FieldKind::kEndSeconds: return only(length, 4, kEndSeconds4);
    case FieldKind::kStartMillis: return only(length, 8, kStartMillis8);
    case FieldKind::kEndMillis: return only(length, 8, kEndMillis8);
    case FieldKind::kObservationMillis: return only(length, 8, kObservationMillis8);
    default: return {};
  }
}

SlotPlan plan_key_or_verdict(FieldKind kind, uint16_t length) {
  using enum SlotOp;
  switch (kind) {
    case FieldKind::kSrcV4: return only(length, 4, kSrcAddr4);
    case FieldKind::kDstV4: return only(length, 4, kDstAddr4);
    case FieldKind::kSrcV6: return only(length, 16, kSrcAddr16);
    case FieldKind::kDstV6: return only(length, 16, kDstAddr16);
    case FieldKind::kSrcPort: return only(length, 2, kSrcPort2);
    case FieldKind::kDstPort: return only(length, 2, kDstPort2);
    case FieldKind::kProtocol: return only(length, 1, kProtocol1);
    case FieldKind::kTos: return only(length, 1, kTos1);
    case FieldKind::kTcpFlags: return one_of(length, 1, kTcpFlags1, 2, kTcpFlags2);
    case FieldKind::kInputInterface: return one_of(length, 2, kInputInterface2, 4, kInputInterface4);
    case FieldKind::kOutputInterface: return one_of(length, 2, kOutputInterface2, 4, kOutputInterface4);
    case FieldKind::kFlowDirection: return only(length, 1, kFlowDirection1);
    case FieldKind::kBiflowDirection: return only(length, 1, kBiflowDirection1);
    case FieldKind::kForwardingStatus: return only(length, 1, kForwardingStatus1);
    case FieldKind::kFirewallEvent: return only(length, 1, kFirewallEvent1);
    case FieldKind::kExtendedEvent: return only(length, 2, kExtendedEvent2);
    case FieldKind::kIngressVrf: return only(length, 4, kIngressVrf4);
    case FieldKind::kEgressVrf: return only(length, 4, kEgressVrf4);
    default: return {};
  }
}

}  // namespace

SlotOp fuse_pair(SlotOp first, SlotOp second) {
  using enum SlotOp;
  constexpr auto key = [](SlotOp a, SlotOp b) {
    return static_cast<unsigned>(a) << 8 | static_cast<unsigned>(b);
  };
  switch (key(first, second)) {
    case key(kSrcAddr4, kDstAddr4): return kAddrPair4;
    case key(kSrcPort2, kDstPort2): return kPortPair2;
    case key(kInputInterface2, kOutputInterface2): return kInterfacePair2;
    case key(kInputInterface4, kOutputInterface4): return kInterfacePair4;
    case key(kOctets4, kPackets4): return kOctetsPackets4;
    case key(kOctets8, kPackets8): return kOctetsPackets8;
    case key(kPackets4, kOctets4): return kPacketsOctets4;
    case key(kPackets8, kOctets8): return kPacketsOctets8;
    case key(kFirstUptime4, kLastUptime4): return kUptimePair4;
    case key(kLastUptime4, kFirstUptime4): return kUptimePairLastFirst4;
    case key(kStartMillis8, kEndMillis8): return kMillisPair8;
    default: return kGeneric;
  }
}

SlotPlan plan_slot(FieldKind kind, uint16_t length) {
  if (const SlotPlan plan = plan_counter(kind, length); plan.op != SlotOp::kGeneric) return plan;
  if (const SlotPlan plan = plan_time(kind, length); plan.op != SlotOp::kGeneric) return plan;
  return plan_key_or_verdict(kind, length);
}

}  // namespace flowd
