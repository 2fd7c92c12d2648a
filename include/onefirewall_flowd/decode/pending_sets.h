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
  // Memory, not payload: every held set also costs its bookkeeping (held_bytes).
  size_t bytes_per_exporter = size_t{512} * 1024;
  size_t bytes_total = size_t{16} * 1024 * 1024;  // over all exporters of one decoder
  std::chrono::seconds max_age{60};

  // What unlisted exporters may hold together: the rest is kept for listed ones.
  [[nodiscard]] size_t unlisted_bytes_total() const { return bytes_total - bytes_total / 4; }
};

// The memory held over all exporters of one decoder, and the unlisted ones' part of it.
struct PendingBudget {
  size_t bytes = 0;
  size_t unlisted_bytes = 0;
};

// A data set that arrived before its template, copied out of the datagram.
struct PendingSet {
  MessageContext context;
  uint16_t template_id = 0;
  std::vector<uint8_t> bytes;
};

// One exporter's held data sets, oldest first. The budget over all
// exporters is shared, so every call takes it by reference.
class PendingSets {
 public:
  explicit PendingSets(bool listed = false) : listed_(listed) {}

  // The memory a held set of this many payload bytes takes: the payload's
  // allocation (with the allocator's header) and the set's own slot.
  [[nodiscard]] static constexpr size_t held_bytes(size_t payload) {
    return sizeof(PendingSet) + ((payload + 8 + 15) & ~size_t{15});
  }

  // Holds a copy of body; drops the oldest sets (counted) to respect the caps.
  void hold(const MessageContext& context, uint16_t template_id, std::span<const uint8_t> body,
            const PendingLimits& limits, PendingBudget& budget, DecodeStats& stats);
  // Removes and returns the sets waiting for (domain, template_id).
  [[nodiscard]] std::vector<PendingSet> take(uint32_t domain, uint16_t template_id, PendingBudget& budget);
  // Drops (counted) the sets older than the limit.
  void expire(std::chrono::system_clock::time_point now, const PendingLimits& limits, PendingBudget& budget,
              DecodeStats& stats);
  // Drops everything, counted as overflow (the exporter is being evicted).
  void clear(PendingBudget& budget, DecodeStats& stats);

  [[nodiscard]] size_t size() const { return sets_.size(); }
  [[nodiscard]] size_t bytes() const { return bytes_; }

 private:
  void drop_front(DecodeError reason, PendingBudget& budget, DecodeStats& stats);
  void release(size_t held, PendingBudget& budget);
  [[nodiscard]] bool budget_has_room(size_t held, const PendingLimits& limits,
                                     const PendingBudget& budget) const;

  std::deque<PendingSet> sets_;
  size_t bytes_ = 0;  // memory, as held_bytes counts it
  bool listed_ = false;
};

}  // namespace flowd
