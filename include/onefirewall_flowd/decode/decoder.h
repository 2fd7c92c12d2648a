#pragma once

#include <vector>

#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/decode_stats.h"

namespace flowd {

// Decodes datagrams of any supported version. One instance per receive
// worker: it will hold per-exporter template state, so it is not shared.
class Decoder {
 public:
  explicit Decoder(DecodeStats& stats) : stats_(stats) {}

  // Appends the datagram's flows to out and counts the outcome. Never throws.
  void decode(const Datagram& datagram, std::vector<FlowRecord>& out);

 private:
  DecodeStats& stats_;
};

}  // namespace flowd
