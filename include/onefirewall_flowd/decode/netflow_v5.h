#pragma once

#include <cstddef>
#include <vector>

#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/decode_stats.h"

namespace flowd {

inline constexpr size_t kV5HeaderSize = 24;
inline constexpr size_t kV5RecordSize = 48;
inline constexpr size_t kV5MaxRecords = 30;

// Decodes a NetFlow v5 datagram, appending its records to out. A datagram
// that fails any check yields no records at all.
[[nodiscard]] DecodeError decode_netflow_v5(const Datagram& datagram, std::vector<FlowRecord>& out);

}  // namespace flowd
