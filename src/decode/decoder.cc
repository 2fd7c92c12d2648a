#include "onefirewall_flowd/decode/decoder.h"

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/ipfix.h"
#include "onefirewall_flowd/decode/netflow_v5.h"
#include "onefirewall_flowd/decode/netflow_v9.h"
#include "onefirewall_flowd/decode/template_store.h"

namespace flowd {

void Decoder::decode(const Datagram& datagram, std::vector<FlowRecord>& out) {
  stats_.datagrams.add();
  templates_.sweep_if_due(datagram.received);
  ByteReader r(datagram.payload);
  uint16_t version = 0;
  if (!r.read_u16(version)) {
    stats_.errors.add(DecodeError::kTruncatedHeader);
    return;
  }
  const size_t before = out.size();
  DecodeError error = DecodeError::kUnsupportedVersion;
  if (version == 5) error = decode_netflow_v5(datagram, out);
  if (version == 9) error = decode_netflow_v9(datagram, templates_, stats_, out);
  if (version == 10) error = decode_ipfix(datagram, templates_, stats_, out);
  if (error != DecodeError::kNone) {
    stats_.errors.add(error);
    return;
  }
  if (version == 5) track_v5_sequence(datagram);
  stats_.flows.add(out.size() - before);
}

std::vector<uint8_t> Decoder::save_templates(std::chrono::system_clock::time_point now) const {
  return flowd::save_templates(templates_, now);
}

size_t Decoder::load_templates(std::span<const uint8_t> saved, std::chrono::system_clock::time_point now) {
  return flowd::load_templates(saved, templates_, now);
}

// The v5 sequence counts flows; engine type and id name the domain.
void Decoder::track_v5_sequence(const Datagram& datagram) {
  ByteReader r(datagram.payload);
  uint16_t count = 0;
  uint32_t sequence = 0;
  uint8_t engine_type = 0, engine_id = 0;
  if (!r.skip(2) || !r.read_u16(count) || !r.skip(12) || !r.read_u32(sequence) || !r.read_u8(engine_type) ||
      !r.read_u8(engine_id)) {
    return;
  }
  ExporterState* exporter = templates_.exporter(datagram.exporter, datagram.received, StateNeed::kOptional);
  if (exporter == nullptr) return;
  DomainState* domain =
      templates_.domain(*exporter, (uint32_t{engine_type} << 8) | engine_id, datagram.received);
  if (domain != nullptr) domain->sequence.observe(sequence, count, stats_);
}

}  // namespace flowd
