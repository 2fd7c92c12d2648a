#pragma once

#include <cstdint>

#include "onefirewall_flowd/decode/template.h"

namespace flowd {

// What a template field means to a FlowRecord, resolved once when the
// template is learned so that each record costs one dense switch per field.
// The order matters: addresses, then counters and times (up to
// kObservationMillis), then flow keys, verdicts and sampling.
enum class FieldKind : uint8_t {
  kIgnored,
  kSrcV4,
  kDstV4,
  kSrcV6,
  kDstV6,
  kOctets,
  kPackets,
  kOctetsTotal,
  kPacketsTotal,
  kInitiatorOctets,
  kInitiatorPackets,
  kResponderOctets,
  kResponderPackets,
  kReverseOctets,
  kReversePackets,
  kReverseOctetsTotal,
  kReversePacketsTotal,
  kFirstUptime,
  kLastUptime,
  kStartSeconds,
  kEndSeconds,
  kStartMillis,
  kEndMillis,
  kStartNtp,
  kEndNtp,
  kSystemInitMillis,
  kObservationMillis,
  kSrcPort,
  kDstPort,
  kProtocol,
  kTos,
  kTcpFlags,
  kInputInterface,
  kOutputInterface,
  kFlowDirection,
  kBiflowDirection,
  kForwardingStatus,
  kFirewallEvent,
  kExtendedEvent,
  kIngressVrf,  // IE 234
  kEgressVrf,   // IE 235
  kSamplingInterval,
  kSamplerId,
  kPacketInterval,
  kPacketSpace,
  kSamplingSize,
  kSamplingPopulation,
  kJuniperCommonProperties,  // PEN 2636 IE 137: a typed property in the top 6 bits
  kDataLinkFrameSection,     // IE 315: the start of a sampled packet's frame
  // Text kept as a view like IE 315; only options templates decode these.
  kInterfaceName,         // IE 82
  kInterfaceDescription,  // IE 83
  kVrfName,               // IE 236
};

// The meaning of an IANA IE, a v9 field type (NSEL 33002 and 40005
// included), an RFC 5103 reverse IE (PEN 29305) or Juniper's common
// properties (PEN 2636 IE 137); other enterprise IEs are ignored.
[[nodiscard]] FieldKind kind_of(const FieldSpec& field);

}  // namespace flowd
