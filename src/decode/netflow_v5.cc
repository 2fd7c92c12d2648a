#include "onefirewall_flowd/decode/netflow_v5.h"

#include "onefirewall_flowd/decode/byte_reader.h"

namespace flowd {
namespace {

struct V5Header {
  uint16_t version = 0;
  uint16_t count = 0;
  uint32_t sys_uptime_ms = 0;
  uint32_t unix_secs = 0;
  uint32_t unix_nsecs = 0;
  uint32_t flow_sequence = 0;
  uint8_t engine_type = 0;
  uint8_t engine_id = 0;
  uint16_t sampling = 0;
};

bool read_header(ByteReader& r, V5Header& h) {
  bool ok = r.read_u16(h.version) && r.read_u16(h.count) && r.read_u32(h.sys_uptime_ms) &&
            r.read_u32(h.unix_secs) && r.read_u32(h.unix_nsecs) && r.read_u32(h.flow_sequence) &&
            r.read_u8(h.engine_type) && r.read_u8(h.engine_id) && r.read_u16(h.sampling);
  return ok;
}

// Uptime stamps are converted through the header's clock; the signed
// difference keeps this right across the 49-day uptime wrap.
int64_t to_epoch_ms(const V5Header& h, uint32_t uptime_stamp) {
  const int64_t export_ms = int64_t{h.unix_secs} * 1000 + h.unix_nsecs / 1'000'000;
  const auto age = static_cast<int32_t>(h.sys_uptime_ms - uptime_stamp);
  return export_ms - age;
}

bool read_record(ByteReader& r, const V5Header& h, FlowRecord& f) {
  uint32_t src = 0, dst = 0, first = 0, last = 0, packets = 0, octets = 0;
  uint16_t input = 0, output = 0;
  const bool ok = r.read_u32(src) && r.read_u32(dst) && r.skip(4) /* next hop */ && r.read_u16(input) &&
                  r.read_u16(output) && r.read_u32(packets) && r.read_u32(octets) && r.read_u32(first) &&
                  r.read_u32(last) && r.read_u16(f.src_port) && r.read_u16(f.dst_port) && r.skip(1) &&
                  r.read_u8(f.tcp_flags) && r.read_u8(f.protocol) && r.read_u8(f.tos) &&
                  r.skip(4) /* AS numbers */ && r.skip(2) /* masks */ && r.skip(2);
  if (!ok) return false;
  f.src_addr = IpAddress::from_v4(src);
  f.dst_addr = IpAddress::from_v4(dst);
  f.input_interface = input;
  f.output_interface = output;
  f.packets = packets;
  f.octets = octets;
  f.start_ms = to_epoch_ms(h, first);
  f.end_ms = to_epoch_ms(h, last);
  return true;
}

}  // namespace

DecodeError decode_netflow_v5(const Datagram& datagram, std::vector<FlowRecord>& out) {
  ByteReader r(datagram.payload);
  V5Header h;
  if (!read_header(r, h)) return DecodeError::kTruncatedHeader;
  if (h.version != 5) return DecodeError::kUnsupportedVersion;
  if (h.count == 0 || h.count > kV5MaxRecords) return DecodeError::kV5BadCount;
  if (r.remaining() / kV5RecordSize < h.count) return DecodeError::kV5Truncated;

  const uint32_t interval = h.sampling & 0x3fff;
  const size_t first = out.size();
  out.resize(first + h.count);
  for (size_t i = 0; i < h.count; ++i) {
    FlowRecord& f = out[first + i];
    f.exporter = datagram.exporter;
    f.domain = (uint32_t{h.engine_type} << 8) | h.engine_id;
    f.version = 5;
    f.sampling_interval = interval == 0 ? 1 : interval;
    // Length was checked above, so a failure here is a logic error; still
    // fail closed rather than emit a half-read record.
    if (!read_record(r, h, f)) {
      out.resize(first);
      return DecodeError::kV5Truncated;
    }
  }
  return DecodeError::kNone;
}

}  // namespace flowd
