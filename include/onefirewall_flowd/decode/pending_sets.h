#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/message_context.h"

namespace flowd {

struct PendingLimits {
  size_t sets_per_exporter = 256;
  size_t bytes_per_exporter = size_t{512} * 1024;
  size_t bytes_total = size_t{16} * 1024 * 1024;  // over all exporters of one decoder
  std::chrono::seconds max_age{60};
};

// A data set that arrived before its template, copied out of the datagram.
struct PendingSet {
  MessageContext context;
  uint16_t template_id = 0;
  std::vector<uint8_t> bytes;
};

// One exporter's held data sets, oldest first. The byte total over all
// exporters is shared, so every call takes it by reference.
class PendingSets {
 public:
  // Holds a copy of body; drops the oldest sets (counted) to respect the caps.
  void hold(const MessageContext& context, uint16_t template_id, std::span<const uint8_t> body,
            const PendingLimits& limits, size_t& total_bytes, DecodeStats& stats);
  // Removes and returns the sets waiting for (domain, template_id).
  [[nodiscard]] std::vector<PendingSet> take(uint32_t domain, uint16_t template_id, size_t& total_bytes);
  // Drops (counted) the sets older than the limit.
  void expire(std::chrono::system_clock::time_point now, const PendingLimits& limits, size_t& total_bytes,
              DecodeStats& stats);
  // Drops everything, counted as overflow (the exporter is being evicted).
  void clear(size_t& total_bytes, DecodeStats& stats);

  [[nodiscard]] size_t size() const { return sets_.size(); }
  [[nodiscard]] size_t bytes() const { return bytes_; }

 private:
  void drop_front(DecodeError reason, size_t& total_bytes, DecodeStats& stats);

  std::deque<PendingSet> sets_;
  size_t bytes_ = 0;
};

}  // namespace flowd
