#include "onefirewall_flowd/decode/record_fields.h"

#include <algorithm>
#include <array>

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/slot_op.h"

namespace flowd {
namespace {

constexpr int64_t kNtpToUnixSeconds = 2'208'988'800;
// Year 9999: larger stamps are garbage, and refusing them keeps the
// arithmetic on them (seconds * 1000, init time + uptime) from overflowing.
constexpr uint64_t kMaxEpochMs = 253'402'300'799'999;

std::optional<int64_t> epoch_ms(uint64_t ms) {
  if (ms > kMaxEpochMs) return std::nullopt;
  return static_cast<int64_t>(ms);
}

std::optional<int64_t> epoch_seconds_to_ms(uint64_t seconds) {
  if (seconds > kMaxEpochMs / 1000) return std::nullopt;
  return static_cast<int64_t>(seconds) * 1000;
}

// Big-endian unsigned value of 1..8 bytes (reduced-size encoding, RFC 7011 6.2).
[[gnu::always_inline]] inline uint64_t load_uint(std::span<const uint8_t> value) {
  const uint8_t* p = value.data();
  switch (value.size()) {  // the common widths without a loop
    case 1: return p[0];
    case 2: return load_be16(p);
    case 4: return load_be32(p);
    case 8: return load_be64(p);
    default: break;
  }
  uint64_t v = 0;
  for (uint8_t b : value) v = (v << 8) | b;
  return v;
}

// dateTimeMicroseconds/Nanoseconds are NTP timestamps (RFC 7011 6.1.9, 6.1.10).
std::optional<int64_t> ntp_to_epoch_ms(std::span<const uint8_t> value, uint64_t v) {
  if (value.size() != 8) return std::nullopt;
  const auto seconds = static_cast<int64_t>(v >> 32);
  const auto fraction_ms = static_cast<int64_t>(((v & 0xffff'ffffu) * 1000) >> 32);
  return (seconds - kNtpToUnixSeconds) * 1000 + fraction_ms;
}

// IE 89 is one byte on most wires; a wider form carries the status in its
// top byte (RFC 7270), but some exporters put it in the low byte instead.
uint8_t forwarding_status_of(std::span<const uint8_t> value) {
  if (value.front() != 0) return value.front();
  return value.back();
}

// Juniper sends no forwardingStatus; its common properties IE carries a
// property type in the top 6 bits, and type 2 is a forwarding exception
// code in the rest, which is non-zero when the packet was dropped.
void apply_juniper_properties(std::span<const uint8_t> value, uint64_t v, FlowRecord& flow) {
  constexpr uint64_t kForwardingException = 2;
  constexpr uint8_t kDroppedUnknownReason = 0x80;  // RFC 7270 forwardingStatus 128
  const size_t value_bits = value.size() * 8;
  if (value_bits <= 6 || flow.has_forwarding_status) return;
  const uint64_t code = v & ((uint64_t{1} << (value_bits - 6)) - 1);
  if ((v >> (value_bits - 6)) == kForwardingException && code != 0) {
    flow.has_forwarding_status = true;
    flow.forwarding_status = kDroppedUnknownReason;
  }
}

IpAddress v6_of(std::span<const uint8_t> value) {
  std::array<uint8_t, 16> bytes{};
  std::copy(value.begin(), value.end(), bytes.begin());
  return IpAddress::from_v6(bytes);
}

IpAddress v6_at(const uint8_t* p) {
  std::array<uint8_t, 16> bytes;
  std::copy_n(p, bytes.size(), bytes.begin());
  return IpAddress::from_v6(bytes);
}

[[gnu::always_inline]] inline void apply_address(FieldKind kind, std::span<const uint8_t> value,
                                                 FlowRecord& flow) {
  const bool v4 = value.size() == 4;
  const bool v6 = value.size() == 16;
  switch (kind) {
    case FieldKind::kSrcV4:
      if (v4) flow.src_addr = IpAddress::from_v4(static_cast<uint32_t>(load_uint(value)));
      break;
    case FieldKind::kDstV4:
      if (v4) flow.dst_addr = IpAddress::from_v4(static_cast<uint32_t>(load_uint(value)));
      break;
    case FieldKind::kSrcV6:
      if (v6) flow.src_addr = v6_of(value);
      break;
    case FieldKind::kDstV6:
      if (v6) flow.dst_addr = v6_of(value);
      break;
    default: break;
  }
}

[[gnu::always_inline]] inline void apply_counter_or_time(FieldKind kind, std::span<const uint8_t> value,
                                                         uint64_t v, RecordFields& f) {
  switch (kind) {
    case FieldKind::kOctets: f.octets.offer(v, 3); break;
    case FieldKind::kPackets: f.packets.offer(v, 3); break;
    case FieldKind::kOctetsTotal: f.octets.offer(v, 2); break;
    case FieldKind::kPacketsTotal: f.packets.offer(v, 2); break;
    case FieldKind::kInitiatorOctets: f.octets.offer(v, 1); break;
    case FieldKind::kInitiatorPackets: f.packets.offer(v, 1); break;
    case FieldKind::kResponderOctets: f.reverse_octets.offer(v, 1); break;
    case FieldKind::kResponderPackets: f.reverse_packets.offer(v, 1); break;
    case FieldKind::kReverseOctets: f.reverse_octets.offer(v, 3); break;
    case FieldKind::kReversePackets: f.reverse_packets.offer(v, 3); break;
    case FieldKind::kReverseOctetsTotal: f.reverse_octets.offer(v, 2); break;
    case FieldKind::kReversePacketsTotal: f.reverse_packets.offer(v, 2); break;
    case FieldKind::kFirstUptime: f.first_uptime_ms = static_cast<uint32_t>(v); break;
    case FieldKind::kLastUptime: f.last_uptime_ms = static_cast<uint32_t>(v); break;
    case FieldKind::kStartSeconds: f.start_ms = epoch_seconds_to_ms(v); break;
    case FieldKind::kEndSeconds: f.end_ms = epoch_seconds_to_ms(v); break;
    case FieldKind::kStartMillis: f.start_ms = epoch_ms(v); break;
    case FieldKind::kEndMillis: f.end_ms = epoch_ms(v); break;
    case FieldKind::kStartNtp: f.start_ms = ntp_to_epoch_ms(value, v); break;
    case FieldKind::kEndNtp: f.end_ms = ntp_to_epoch_ms(value, v); break;
    case FieldKind::kSystemInitMillis: f.system_init_ms = epoch_ms(v); break;
    case FieldKind::kObservationMillis: f.observation_ms = epoch_ms(v); break;
    default: break;
  }
}

[[gnu::always_inline]] inline void apply_key_or_verdict(FieldKind kind, std::span<const uint8_t> value,
                                                        uint64_t v, RecordFields& f) {
  FlowRecord& flow = f.flow;
  switch (kind) {
    case FieldKind::kSrcPort: flow.src_port = static_cast<uint16_t>(v); break;
    case FieldKind::kDstPort: flow.dst_port = static_cast<uint16_t>(v); break;
    case FieldKind::kProtocol: flow.protocol = static_cast<uint8_t>(v); break;
    case FieldKind::kTos: flow.tos = static_cast<uint8_t>(v); break;
    case FieldKind::kTcpFlags:
      flow.tcp_flags = static_cast<uint8_t>(v);
      break;  // low byte of the 16-bit form
    case FieldKind::kInputInterface: flow.input_interface = static_cast<uint32_t>(v); break;
    case FieldKind::kOutputInterface: flow.output_interface = static_cast<uint32_t>(v); break;
    case FieldKind::kFlowDirection:
      flow.has_flow_direction = true;
      flow.flow_direction = static_cast<uint8_t>(v);
      break;
    case FieldKind::kBiflowDirection:
      flow.has_biflow_direction = true;
      flow.biflow_direction = static_cast<uint8_t>(v);
      break;
    case FieldKind::kForwardingStatus:
      flow.has_forwarding_status = true;
      flow.forwarding_status = forwarding_status_of(value);
      break;
    case FieldKind::kFirewallEvent:
      flow.has_firewall_event = true;
      flow.firewall_event = static_cast<uint8_t>(v);
      break;
    case FieldKind::kExtendedEvent:
      flow.has_extended_event = true;
      flow.extended_event = static_cast<uint16_t>(v);
      break;
    case FieldKind::kIngressVrf: flow.ingress_vrf = static_cast<uint32_t>(v); break;
    case FieldKind::kEgressVrf: flow.egress_vrf = static_cast<uint32_t>(v); break;
    case FieldKind::kSamplingInterval: f.sampling_interval = static_cast<uint32_t>(v); break;
    case FieldKind::kSamplerId: f.sampler_id = v; break;
    case FieldKind::kPacketInterval: f.packet_interval = static_cast<uint32_t>(v); break;
    case FieldKind::kPacketSpace: f.packet_space = static_cast<uint32_t>(v); break;
    case FieldKind::kSamplingSize: f.sampling_size = static_cast<uint32_t>(v); break;
    case FieldKind::kSamplingPopulation: f.sampling_population = static_cast<uint32_t>(v); break;
    case FieldKind::kJuniperCommonProperties: apply_juniper_properties(value, v, flow); break;
    default: break;
  }
}

// Fields kept as views of the datagram, read once the record is whole.
void apply_view(FieldKind kind, std::span<const uint8_t> value, RecordFields& fields) {
  switch (kind) {
    case FieldKind::kDataLinkFrameSection: fields.frame_section = value; break;
    case FieldKind::kInterfaceName: fields.interface_name = value; break;
    case FieldKind::kInterfaceDescription: fields.interface_description = value; break;
    case FieldKind::kVrfName: fields.vrf_name = value; break;
    default: break;
  }
}

// RFC 7011 7: one length byte, or 255 then a 16-bit length.
bool read_length(ByteReader& r, uint16_t declared, size_t& length) {
  if (declared != kVariableLength) {
    length = declared;
    return true;
  }
  uint8_t short_length = 0;
  if (!r.read_u8(short_length)) return false;
  if (short_length < 255) {
    length = short_length;
    return true;
  }
  uint16_t long_length = 0;
  if (!r.read_u16(long_length)) return false;
  length = long_length;
  return true;
}

// Inlined into the per-record loop: one call per field was a third of the cost.
[[gnu::always_inline]] inline void apply_one(FieldKind kind, std::span<const uint8_t> value,
                                             RecordFields& fields) {
  if (kind == FieldKind::kIgnored || value.empty()) return;
  if (kind <= FieldKind::kDstV6) {
    apply_address(kind, value, fields.flow);
    return;
  }
  if (kind >= FieldKind::kDataLinkFrameSection) {
    apply_view(kind, value, fields);
    return;
  }
  if (value.size() > 8) return;  // wider than any integer IE we decode
  const uint64_t v = load_uint(value);
  if (kind <= FieldKind::kObservationMillis) {
    apply_counter_or_time(kind, value, v, fields);
  } else {
    apply_key_or_verdict(kind, value, v, fields);
  }
}

// One step of a fixed-layout template's plan: the op already knows the
// field's width, so there is one switch per field (slot_op.h). The flow comes
// apart from f because f.flow would be reloaded after every store.
[[gnu::always_inline]] inline void apply_slot(const FieldSlot& slot, std::span<const uint8_t> record,
                                              RecordFields& f, FlowRecord& flow) {
  const uint8_t* p = record.data() + slot.offset;
  switch (slot.op) {
    case SlotOp::kGeneric: apply_one(slot.kind, record.subspan(slot.offset, slot.length), f); break;
    case SlotOp::kSrcAddr4: flow.src_addr = IpAddress::from_v4(load_be32(p)); break;
    case SlotOp::kDstAddr4: flow.dst_addr = IpAddress::from_v4(load_be32(p)); break;
    case SlotOp::kSrcAddr16: flow.src_addr = v6_at(p); break;
    case SlotOp::kDstAddr16: flow.dst_addr = v6_at(p); break;
    case SlotOp::kSrcPort2: flow.src_port = load_be16(p); break;
    case SlotOp::kDstPort2: flow.dst_port = load_be16(p); break;
    case SlotOp::kProtocol1: flow.protocol = p[0]; break;
    case SlotOp::kTos1: flow.tos = p[0]; break;
    case SlotOp::kTcpFlags1: flow.tcp_flags = p[0]; break;
    case SlotOp::kTcpFlags2: flow.tcp_flags = p[1]; break;  // low byte of the 16-bit form
    case SlotOp::kInputInterface2: flow.input_interface = load_be16(p); break;
    case SlotOp::kInputInterface4: flow.input_interface = load_be32(p); break;
    case SlotOp::kOutputInterface2: flow.output_interface = load_be16(p); break;
    case SlotOp::kOutputInterface4: flow.output_interface = load_be32(p); break;
    case SlotOp::kOctets4: f.octets.offer(load_be32(p), slot.rank); break;
    case SlotOp::kOctets8: f.octets.offer(load_be64(p), slot.rank); break;
    case SlotOp::kPackets4: f.packets.offer(load_be32(p), slot.rank); break;
    case SlotOp::kPackets8: f.packets.offer(load_be64(p), slot.rank); break;
    case SlotOp::kReverseOctets4: f.reverse_octets.offer(load_be32(p), slot.rank); break;
    case SlotOp::kReverseOctets8: f.reverse_octets.offer(load_be64(p), slot.rank); break;
    case SlotOp::kReversePackets4: f.reverse_packets.offer(load_be32(p), slot.rank); break;
    case SlotOp::kReversePackets8: f.reverse_packets.offer(load_be64(p), slot.rank); break;
    case SlotOp::kFirstUptime4: f.first_uptime_ms = load_be32(p); break;
    case SlotOp::kLastUptime4: f.last_uptime_ms = load_be32(p); break;
    case SlotOp::kStartSeconds4: f.start_ms = epoch_seconds_to_ms(load_be32(p)); break;
    case SlotOp::kEndSeconds4: f.end_ms = epoch_seconds_to_ms(load_be32(p)); break;
    case SlotOp::kStartMillis8: f.start_ms = epoch_ms(load_be64(p)); break;
    case SlotOp::kEndMillis8: f.end_ms = epoch_ms(load_be64(p)); break;
    case SlotOp::kObservationMillis8: f.observation_ms = epoch_ms(load_be64(p)); break;
    case SlotOp::kFlowDirection1:
      flow.has_flow_direction = true;
      flow.flow_direction = p[0];
      break;
    case SlotOp::kBiflowDirection1:
      flow.has_biflow_direction = true;
      flow.biflow_direction = p[0];
      break;
    case SlotOp::kForwardingStatus1:  // one byte: top and low byte are the same
      flow.has_forwarding_status = true;
      flow.forwarding_status = p[0];
      break;
    case SlotOp::kFirewallEvent1:
      flow.has_firewall_event = true;
      flow.firewall_event = p[0];
      break;
    case SlotOp::kExtendedEvent2:
      flow.has_extended_event = true;
      flow.extended_event = load_be16(p);
      break;
    case SlotOp::kIngressVrf4: flow.ingress_vrf = load_be32(p); break;
    case SlotOp::kEgressVrf4: flow.egress_vrf = load_be32(p); break;
    case SlotOp::kAddrPair4:
      flow.src_addr = IpAddress::from_v4(load_be32(p));
      flow.dst_addr = IpAddress::from_v4(load_be32(p + 4));
      break;
    case SlotOp::kPortPair2:
      flow.src_port = load_be16(p);
      flow.dst_port = load_be16(p + 2);
      break;
    case SlotOp::kInterfacePair2:
      flow.input_interface = load_be16(p);
      flow.output_interface = load_be16(p + 2);
      break;
    case SlotOp::kInterfacePair4:
      flow.input_interface = load_be32(p);
      flow.output_interface = load_be32(p + 4);
      break;
    case SlotOp::kOctetsPackets4:
      f.octets.offer(load_be32(p), slot.rank);
      f.packets.offer(load_be32(p + 4), slot.rank2);
      break;
    case SlotOp::kOctetsPackets8:
      f.octets.offer(load_be64(p), slot.rank);
      f.packets.offer(load_be64(p + 8), slot.rank2);
      break;
    case SlotOp::kPacketsOctets4:
      f.packets.offer(load_be32(p), slot.rank);
      f.octets.offer(load_be32(p + 4), slot.rank2);
      break;
    case SlotOp::kPacketsOctets8:
      f.packets.offer(load_be64(p), slot.rank);
      f.octets.offer(load_be64(p + 8), slot.rank2);
      break;
    case SlotOp::kUptimePair4:
      f.first_uptime_ms = load_be32(p);
      f.last_uptime_ms = load_be32(p + 4);
      break;
    case SlotOp::kUptimePairLastFirst4:
      f.last_uptime_ms = load_be32(p);
      f.first_uptime_ms = load_be32(p + 4);
      break;
    case SlotOp::kMillisPair8:
      f.start_ms = epoch_ms(load_be64(p));
      f.end_ms = epoch_ms(load_be64(p + 8));
      break;
  }
}

}  // namespace

bool read_record(ByteReader& r, const Template& t, RecordFields& fields) {
  if (t.fixed_layout) {
    std::span<const uint8_t> record;
    if (!r.read_view(t.min_record_length, record)) return false;
    FlowRecord& flow = fields.flow;
    for (const FieldSlot& slot : t.slots) apply_slot(slot, record, fields, flow);
    return true;
  }
  for (size_t i = 0; i < t.fields.size(); ++i) {
    size_t length = 0;
    std::span<const uint8_t> value;
    if (!read_length(r, t.fields[i].length, length) || !r.read_view(length, value)) return false;
    if (t.kinds[i] != FieldKind::kIgnored) apply_one(t.kinds[i], value, fields);
  }
  return true;
}

void apply_field(FieldKind kind, std::span<const uint8_t> value, RecordFields& fields) {
  apply_one(kind, value, fields);
}

}  // namespace flowd
