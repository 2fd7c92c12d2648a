#include "onefirewall_flowd/decode/netflow_v9.h"

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/set_processor.h"
#include "onefirewall_flowd/decode/set_walker.h"

namespace flowd {
namespace {

struct V9Header {
  uint16_t version = 0;
  uint16_t count = 0;  // records + templates, informational only
  uint32_t sys_uptime_ms = 0;
  uint32_t unix_secs = 0;
  uint32_t sequence = 0;  // counts export packets
  uint32_t source_id = 0;
};

bool read_header(ByteReader& r, V9Header& h) {
  return r.read_u16(h.version) && r.read_u16(h.count) && r.read_u32(h.sys_uptime_ms) &&
         r.read_u32(h.unix_secs) && r.read_u32(h.sequence) && r.read_u32(h.source_id);
}

}  // namespace

DecodeError decode_netflow_v9(const Datagram& datagram, TemplateCache& cache, DecodeStats& stats,
                              std::vector<FlowRecord>& out) {
  ByteReader r(datagram.payload);
  V9Header h;
  if (!read_header(r, h)) return DecodeError::kTruncatedHeader;
  if (h.version != 9) return DecodeError::kUnsupportedVersion;

  ExporterState* exporter = cache.exporter(datagram.exporter, datagram.received);
  if (exporter == nullptr) return DecodeError::kNone;  // counted by the cache
  DomainState* domain = cache.domain(*exporter, h.source_id, datagram.received);
  if (domain == nullptr) return DecodeError::kNone;
  domain->sequence.observe(h.sequence, 1, stats);

  const MessageContext context{datagram.exporter,           h.source_id,     Dialect::kNetflowV9,
                               int64_t{h.unix_secs} * 1000, h.sys_uptime_ms, datagram.received};
  SetProcessor processor(cache, stats, *exporter, *domain, context, out);
  SetWalker walker(r);
  uint16_t set_id = 0;
  ByteReader body(std::span<const uint8_t>{});
  while (walker.next(set_id, body)) processor.process(set_id, body);
  if (walker.error() != DecodeError::kNone) stats.errors.add(walker.error());
  return DecodeError::kNone;
}

}  // namespace flowd
