#pragma once

#include <cstddef>
#include <vector>

#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/template_cache.h"

namespace flowd {

inline constexpr size_t kIpfixHeaderSize = 16;

// Decodes the IPFIX messages (RFC 7011) of a datagram, appending their flows
// to out. Each message's sets are walked within its own length. A datagram
// normally carries one message; further whole messages back to back (as
// files and `nc` captures have them) are decoded too, and bytes after the
// last whole message are counted as kIpfixTrailingBytes. A message longer
// than the datagram is kIpfixBadLength. Returns a header-level error of the
// first message, or kNone; later problems are counted in stats.
[[nodiscard]] DecodeError decode_ipfix(const Datagram& datagram, TemplateCache& cache, DecodeStats& stats,
                                       std::vector<FlowRecord>& out);

}  // namespace flowd
