#include "onefirewall_flowd/decode/field_kind.h"

namespace flowd {
namespace {

constexpr uint32_t kReversePen = 29305;  // RFC 5103 reverse IEs
constexpr uint32_t kJuniperPen = 2636;
constexpr uint16_t kJuniperCommonPropertiesId = 137;

FieldKind reverse_kind_of(uint16_t id) {
  switch (id) {
    case 1: return FieldKind::kReverseOctets;
    case 2: return FieldKind::kReversePackets;
    case 85: return FieldKind::kReverseOctetsTotal;
    case 86: return FieldKind::kReversePacketsTotal;
    default: return FieldKind::kIgnored;
  }
}

FieldKind counter_or_time_kind_of(uint16_t id) {
  switch (id) {
    case 1: return FieldKind::kOctets;
    case 2: return FieldKind::kPackets;
    case 85: return FieldKind::kOctetsTotal;
    case 86: return FieldKind::kPacketsTotal;
    case 231: return FieldKind::kInitiatorOctets;
    case 232: return FieldKind::kResponderOctets;
    case 298: return FieldKind::kInitiatorPackets;
    case 299: return FieldKind::kResponderPackets;
    case 21: return FieldKind::kLastUptime;
    case 22: return FieldKind::kFirstUptime;
    case 150: return FieldKind::kStartSeconds;
    case 151: return FieldKind::kEndSeconds;
    case 152: return FieldKind::kStartMillis;
    case 153: return FieldKind::kEndMillis;
    case 154:
    case 156: return FieldKind::kStartNtp;
    case 155:
    case 157: return FieldKind::kEndNtp;
    case 160: return FieldKind::kSystemInitMillis;
    case 323: return FieldKind::kObservationMillis;
    default: return FieldKind::kIgnored;
  }
}

FieldKind key_or_verdict_kind_of(uint16_t id) {
  switch (id) {
    case 8: return FieldKind::kSrcV4;
    case 12: return FieldKind::kDstV4;
    case 27: return FieldKind::kSrcV6;
    case 28: return FieldKind::kDstV6;
    case 7: return FieldKind::kSrcPort;
    case 11: return FieldKind::kDstPort;
    case 4: return FieldKind::kProtocol;
    case 5: return FieldKind::kTos;
    case 6: return FieldKind::kTcpFlags;
    case 10: return FieldKind::kInputInterface;
    case 14: return FieldKind::kOutputInterface;
    case 61: return FieldKind::kFlowDirection;
    case 239: return FieldKind::kBiflowDirection;
    case 89: return FieldKind::kForwardingStatus;
    case 233:
    case 40005: return FieldKind::kFirewallEvent;  // IPFIX firewallEvent; v9 NF_F_FW_EVENT
    case 33002: return FieldKind::kExtendedEvent;  // v9 NF_F_FW_EXT_EVENT
    case 234: return FieldKind::kIngressVrf;
    case 235: return FieldKind::kEgressVrf;
    case 34:
    case 50: return FieldKind::kSamplingInterval;
    case 48:
    case 302: return FieldKind::kSamplerId;
    case 305: return FieldKind::kPacketInterval;
    case 306: return FieldKind::kPacketSpace;
    case 309: return FieldKind::kSamplingSize;
    case 310: return FieldKind::kSamplingPopulation;
    case 315: return FieldKind::kDataLinkFrameSection;
    case 82: return FieldKind::kInterfaceName;
    case 83: return FieldKind::kInterfaceDescription;
    case 236: return FieldKind::kVrfName;
    default: return FieldKind::kIgnored;
  }
}

}  // namespace

FieldKind kind_of(const FieldSpec& field) {
  if (field.enterprise == kReversePen) return reverse_kind_of(field.id);
  if (field.enterprise == kJuniperPen && field.id == kJuniperCommonPropertiesId) {
    return FieldKind::kJuniperCommonProperties;
  }
  if (field.enterprise != 0) return FieldKind::kIgnored;
  const FieldKind kind = key_or_verdict_kind_of(field.id);
  return kind != FieldKind::kIgnored ? kind : counter_or_time_kind_of(field.id);
}

}  // namespace flowd
