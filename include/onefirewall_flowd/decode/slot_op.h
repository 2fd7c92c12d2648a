#pragma once

#include <cstdint>

#include "onefirewall_flowd/decode/field_kind.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {

// What one field of a fixed-layout record does to a flow, resolved with its
// width when the template is built, so that reading a record costs one switch
// per field. A fast op exists only where its effect is exactly apply_field's
// for that kind and width; every other field takes kGeneric, which is
// apply_field itself. The number ending a name is the field's width in bytes.
enum class SlotOp : uint8_t {
  kGeneric,
  kSrcAddr4,
  kDstAddr4,
  kSrcAddr16,
  kDstAddr16,
  kSrcPort2,
  kDstPort2,
  kProtocol1,
  kTos1,
  kTcpFlags1,
  kTcpFlags2,
  kInputInterface2,
  kInputInterface4,
  kOutputInterface2,
  kOutputInterface4,
  // Ranked counters: FieldSlot::rank says which IE family offers the value.
  kOctets4,
  kOctets8,
  kPackets4,
  kPackets8,
  kReverseOctets4,
  kReverseOctets8,
  kReversePackets4,
  kReversePackets8,
  kFirstUptime4,
  kLastUptime4,
  kStartSeconds4,
  kEndSeconds4,
  kStartMillis8,
  kEndMillis8,
  kObservationMillis8,
  kFlowDirection1,
  kBiflowDirection1,
  kForwardingStatus1,
  kFirewallEvent1,
  kExtendedEvent2,
  kIngressVrf4,
  kEgressVrf4,
  // Two adjacent fields read by one op, in template order (fuse_pair). Fused ops come last.
  kAddrPair4,             // kSrcAddr4, kDstAddr4
  kPortPair2,             // kSrcPort2, kDstPort2
  kInterfacePair2,        // kInputInterface2, kOutputInterface2
  kInterfacePair4,        // kInputInterface4, kOutputInterface4
  kOctetsPackets4,        // kOctets4 with rank, kPackets4 with rank2
  kOctetsPackets8,        // kOctets8 with rank, kPackets8 with rank2
  kPacketsOctets4,        // kPackets4 with rank, kOctets4 with rank2
  kPacketsOctets8,        // kPackets8 with rank, kOctets8 with rank2
  kUptimePair4,           // kFirstUptime4, kLastUptime4
  kUptimePairLastFirst4,  // kLastUptime4, kFirstUptime4
  kMillisPair8,           // kStartMillis8, kEndMillis8
};

struct SlotPlan {
  SlotOp op = SlotOp::kGeneric;
  uint8_t rank = 0;  // for the ranked counter ops
};

// The op for a field of this kind and width in a fixed-layout record.
[[nodiscard]] SlotPlan plan_slot(FieldKind kind, uint16_t length);

// The one op doing first then second, or kGeneric when the pair has none.
// Only pairs whose bytes touch may be fused: the op reads both from the first's offset.
[[nodiscard]] SlotOp fuse_pair(SlotOp first, SlotOp second);

}  // namespace flowd
