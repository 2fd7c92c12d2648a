#pragma once

#include <cstddef>
#include <vector>

#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/template_cache.h"

namespace flowd {

inline constexpr size_t kV9HeaderSize = 20;

// Decodes a NetFlow v9 datagram (RFC 3954) with the exporter's templates,
// appending its flows to out. v9 has no length field and its count is not
// trusted: the FlowSets are walked until the datagram ends. Problems inside
// the datagram are counted in stats; the return value is a header-level
// error that made the whole datagram unusable, or kNone.
[[nodiscard]] DecodeError decode_netflow_v9(const Datagram& datagram, TemplateCache& cache,
                                            DecodeStats& stats, std::vector<FlowRecord>& out);

}  // namespace flowd
