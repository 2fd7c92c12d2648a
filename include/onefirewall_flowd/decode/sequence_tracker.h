#pragma once

#include <cstdint>

#include "onefirewall_flowd/decode/decode_stats.h"

namespace flowd {

// Follows one (exporter, domain) export sequence and counts what went missing.
// Each protocol advances it by its own unit: v5 flows, v9 packets, IPFIX records.
class SequenceTracker {
 public:
  // sequence: the header's number; advance: units this message accounts for.
  void observe(uint32_t sequence, uint32_t advance, DecodeStats& stats);
  // A message whose units could not all be counted (IPFIX data held for its
  // template): its own number is checked, and the next message's starts afresh.
  void observe_uncounted(uint32_t sequence, DecodeStats& stats);

 private:
  bool started_ = false;
  uint32_t expected_ = 0;
};

}  // namespace flowd
