#include "onefirewall_flowd/decode/record_fields.h"

#include <array>

#include "onefirewall_flowd/decode/byte_reader.h"

namespace flowd {
namespace {

constexpr uint32_t kReversePen = 29305;  // RFC 5103 reverse IEs
constexpr int64_t kNtpToUnixSeconds = 2'208'988'800;

std::optional<uint64_t> as_uint(std::span<const uint8_t> value) {
  uint64_t v = 0;
  ByteReader r(value);
  if (!r.read_uint(value.size(), v)) return std::nullopt;
  return v;
}

// dateTimeMicroseconds/Nanoseconds are NTP timestamps (RFC 7011 6.1.9, 6.1.10).
std::optional<int64_t> ntp_to_epoch_ms(std::span<const uint8_t> value) {
  if (value.size() != 8) return std::nullopt;
  const uint64_t v = *as_uint(value);
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

void apply_reverse(const FieldSpec& field, uint64_t v, RecordFields& f) {
  switch (field.id) {
    case 1: f.reverse_octets.offer(v, 3); break;
    case 2: f.reverse_packets.offer(v, 3); break;
    case 85: f.reverse_octets.offer(v, 2); break;
    case 86: f.reverse_packets.offer(v, 2); break;
    default: break;
  }
}

bool apply_address(uint16_t id, std::span<const uint8_t> value, FlowRecord& flow) {
  if ((id == 8 || id == 12) && value.size() == 4) {
    (id == 8 ? flow.src_addr : flow.dst_addr) = IpAddress::from_v4(static_cast<uint32_t>(*as_uint(value)));
    return true;
  }
  if ((id == 27 || id == 28) && value.size() == 16) {
    std::array<uint8_t, 16> bytes{};
    std::copy(value.begin(), value.end(), bytes.begin());
    (id == 27 ? flow.src_addr : flow.dst_addr) = IpAddress::from_v6(bytes);
    return true;
  }
  return id == 8 || id == 12 || id == 27 || id == 28;
}

bool apply_time(uint16_t id, std::span<const uint8_t> value, uint64_t v, RecordFields& f) {
  switch (id) {
    case 21: f.last_uptime_ms = static_cast<uint32_t>(v); return true;
    case 22: f.first_uptime_ms = static_cast<uint32_t>(v); return true;
    case 150: f.start_ms = static_cast<int64_t>(v) * 1000; return true;
    case 151: f.end_ms = static_cast<int64_t>(v) * 1000; return true;
    case 152: f.start_ms = static_cast<int64_t>(v); return true;
    case 153: f.end_ms = static_cast<int64_t>(v); return true;
    case 154: case 156: f.start_ms = ntp_to_epoch_ms(value); return true;
    case 155: case 157: f.end_ms = ntp_to_epoch_ms(value); return true;
    case 160: f.system_init_ms = static_cast<int64_t>(v); return true;
    case 323: f.observation_ms = static_cast<int64_t>(v); return true;
    default: return false;
  }
}

bool apply_counter_or_sampling(uint16_t id, uint64_t v, RecordFields& f) {
  switch (id) {
    case 1: f.octets.offer(v, 3); return true;
    case 2: f.packets.offer(v, 3); return true;
    case 85: f.octets.offer(v, 2); return true;
    case 86: f.packets.offer(v, 2); return true;
    case 231: f.octets.offer(v, 1); return true;           // NSEL initiatorOctets
    case 298: f.packets.offer(v, 1); return true;          // initiatorPackets
    case 232: f.reverse_octets.offer(v, 1); return true;   // responderOctets
    case 299: f.reverse_packets.offer(v, 1); return true;  // responderPackets
    case 34: case 50: f.sampling_interval = static_cast<uint32_t>(v); return true;
    case 48: case 302: f.sampler_id = v; return true;
    case 305: f.packet_interval = static_cast<uint32_t>(v); return true;
    case 306: f.packet_space = static_cast<uint32_t>(v); return true;
    case 309: f.sampling_size = static_cast<uint32_t>(v); return true;
    case 310: f.sampling_population = static_cast<uint32_t>(v); return true;
    default: return false;
  }
}

void apply_flow_key(uint16_t id, std::span<const uint8_t> value, uint64_t v, FlowRecord& flow) {
  switch (id) {
    case 4: flow.protocol = static_cast<uint8_t>(v); break;
    case 5: flow.tos = static_cast<uint8_t>(v); break;
    case 6: flow.tcp_flags = static_cast<uint8_t>(v); break;  // low byte of the 16-bit form
    case 7: flow.src_port = static_cast<uint16_t>(v); break;
    case 11: flow.dst_port = static_cast<uint16_t>(v); break;
    case 10: flow.input_interface = static_cast<uint32_t>(v); break;
    case 14: flow.output_interface = static_cast<uint32_t>(v); break;
    case 61: flow.has_flow_direction = true; flow.flow_direction = static_cast<uint8_t>(v); break;
    case 239: flow.has_biflow_direction = true; flow.biflow_direction = static_cast<uint8_t>(v); break;
    case 89:
      flow.has_forwarding_status = true;
      flow.forwarding_status = forwarding_status_of(value);
      break;
    case 233: case 40005:  // IPFIX firewallEvent; v9 NF_F_FW_EVENT
      flow.has_firewall_event = true;
      flow.firewall_event = static_cast<uint8_t>(v);
      break;
    case 33002:  // v9 NF_F_FW_EXT_EVENT
      flow.has_extended_event = true;
      flow.extended_event = static_cast<uint16_t>(v);
      break;
    default: break;
  }
}

}  // namespace

void apply_field(const FieldSpec& field, std::span<const uint8_t> value, RecordFields& fields) {
  if (value.empty()) return;
  if (field.enterprise == 0 && apply_address(field.id, value, fields.flow)) return;
  const std::optional<uint64_t> v = as_uint(value);
  if (!v) return;  // wider than any integer IE we decode
  if (field.enterprise == kReversePen) {
    apply_reverse(field, *v, fields);
    return;
  }
  if (field.enterprise != 0) return;
  if (apply_time(field.id, value, *v, fields)) return;
  if (apply_counter_or_sampling(field.id, *v, fields)) return;
  apply_flow_key(field.id, value, *v, fields.flow);
}

}  // namespace flowd
