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

using V5Record = std::span<const uint8_t, kV5RecordSize>;

// A big-endian field at a fixed offset of one record; the record's size was
// checked once, and the offset is checked against it at compile time.
template <size_t Offset>
uint16_t be16(V5Record r) {
  static_assert(Offset + 2 <= kV5RecordSize);
  return load_be16(r.data() + Offset);
}
template <size_t Offset>
uint32_t be32(V5Record r) {
  static_assert(Offset + 4 <= kV5RecordSize);
  return load_be32(r.data() + Offset);
}

// Offsets from Cisco's v5 record layout: next hop (8), AS numbers (40) and
// masks (44) are not used.
void read_record(V5Record r, const V5Header& h, FlowRecord& f) {
  f.src_addr = IpAddress::from_v4(be32<0>(r));
  f.dst_addr = IpAddress::from_v4(be32<4>(r));
  f.input_interface = be16<12>(r);
  f.output_interface = be16<14>(r);
  f.packets = be32<16>(r);
  f.octets = be32<20>(r);
  f.start_ms = to_epoch_ms(h, be32<24>(r));
  f.end_ms = to_epoch_ms(h, be32<28>(r));
  f.src_port = be16<32>(r);
  f.dst_port = be16<34>(r);
  f.tcp_flags = r[37];
  f.protocol = r[38];
  f.tos = r[39];
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
  // What every record of the datagram shares, copied in once per record: a
  // copy is cheaper than default-constructing and then overwriting.
  FlowRecord shared;
  shared.exporter = datagram.exporter;
  shared.domain = (uint32_t{h.engine_type} << 8) | h.engine_id;
  shared.version = 5;
  shared.sampling_interval = interval == 0 ? 1 : interval;
  const size_t first = out.size();
  out.resize(first + h.count, shared);
  for (size_t i = 0; i < h.count; ++i) {
    std::span<const uint8_t> record;
    // Length was checked above, so a failure here is a logic error; still
    // fail closed rather than emit a half-read record.
    if (!r.read_view(kV5RecordSize, record)) {
      out.resize(first);
      return DecodeError::kV5Truncated;
    }
    read_record(record.first<kV5RecordSize>(), h, out[first + i]);
  }
  return DecodeError::kNone;
}

}  // namespace flowd
