#include "onefirewall_flowd/decode/ipfix.h"

#include <algorithm>

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/set_processor.h"
#include "onefirewall_flowd/decode/set_walker.h"

namespace flowd {
namespace {

struct IpfixHeader {
  uint16_t version = 0;
  uint16_t length = 0;  // of the whole message, header included
  uint32_t export_secs = 0;
  uint32_t sequence = 0;  // data records sent before this message
  uint32_t domain = 0;
};

bool read_header(ByteReader& r, IpfixHeader& h) {
  return r.read_u16(h.version) && r.read_u16(h.length) && r.read_u32(h.export_secs) &&
         r.read_u32(h.sequence) && r.read_u32(h.domain);
}

// Decodes one message whose header has been read; rest starts at its sets
// and holds the rest of the datagram. Returns the bytes of rest it took.
size_t decode_message(const Datagram& datagram, const IpfixHeader& h, ByteReader rest, TemplateCache& cache,
                      DecodeStats& stats, std::vector<FlowRecord>& out) {
  const size_t length = h.length - kIpfixHeaderSize;
  ExporterState* exporter = cache.exporter(datagram.exporter, datagram.received);
  if (exporter == nullptr) return length;  // counted by the cache
  DomainState* domain = cache.domain(*exporter, h.domain, datagram.received);
  if (domain == nullptr) return length;

  const MessageContext context{datagram.exporter, h.domain, Dialect::kIpfix, int64_t{h.export_secs} * 1000, 0,
                               datagram.received};
  SetProcessor processor(cache, stats, *exporter, *domain, context, out);
  SetWalker walker(rest, length);
  uint16_t set_id = 0;
  ByteReader body(std::span<const uint8_t>{});
  while (walker.next(set_id, body)) processor.process(set_id, body);
  if (walker.error() != DecodeError::kNone) stats.errors.add(walker.error());
  if (walker.overran()) stats.errors.add(DecodeError::kIpfixLengthMismatch);
  if (processor.held_data()) {
    domain->sequence.observe_uncounted(h.sequence, stats);
  } else {
    domain->sequence.observe(h.sequence, processor.data_records(), stats);
  }
  return std::max(length, walker.walked());
}

// Reads the next message's header and checks its length against the datagram.
DecodeError next_message(ByteReader& r, IpfixHeader& h) {
  if (!read_header(r, h)) return DecodeError::kTruncatedHeader;
  if (h.version != 10) return DecodeError::kUnsupportedVersion;
  if (h.length < kIpfixHeaderSize) return DecodeError::kIpfixBadLength;
  if (h.length - kIpfixHeaderSize > r.remaining()) return DecodeError::kIpfixBadLength;
  return DecodeError::kNone;
}

}  // namespace

DecodeError decode_ipfix(const Datagram& datagram, TemplateCache& cache, DecodeStats& stats,
                         std::vector<FlowRecord>& out) {
  ByteReader r(datagram.payload);
  bool first = true;
  while (!r.empty()) {
    IpfixHeader h;
    const DecodeError error = next_message(r, h);
    if (error != DecodeError::kNone) {
      if (first) return error;
      stats.errors.add(DecodeError::kIpfixTrailingBytes);
      return DecodeError::kNone;
    }
    const size_t taken = decode_message(datagram, h, ByteReader(r.rest()), cache, stats, out);
    if (!r.skip(taken)) break;  // cannot fail: taken never exceeds what remains
    first = false;
  }
  return DecodeError::kNone;
}

}  // namespace flowd
