#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "onefirewall_flowd/core/counter.h"
#include "onefirewall_flowd/core/event.h"

namespace flowd {

struct ReduceStats {
  Counter passed;        // records let through
  Counter deduplicated;  // records suppressed as repeats within the window
  Counter evicted;       // conversations forgotten early because the table was full
};

// Lets one record per conversation key (firewall, direction, src_ip, dst_ip,
// dst_port, protocol, action) through per window. Memory is bounded by
// capacity; when full, the oldest conversation is forgotten and counted.
//
// A conversation is remembered as a 64-bit fingerprint of its key in an
// open-addressed table (16 bytes a slot) and a FIFO of admissions, about
// 40 bytes a conversation in all. Two keys share a fingerprint with odds of
// about 1 in 10^7 across a full table of a million; that would merge two
// conversations for one window.
class Reducer {
 public:
  using Clock = std::chrono::steady_clock;

  Reducer(std::chrono::milliseconds window, size_t capacity, ReduceStats& stats);

  // True when the event should be delivered.
  [[nodiscard]] bool admit(const Event& event, Clock::time_point now);
  [[nodiscard]] size_t size() const { return size_; }

 private:
  struct Entry {
    uint64_t fingerprint = 0;  // 0 marks an empty slot
    Clock::rep admitted = 0;
  };

  [[nodiscard]] uint64_t fingerprint(const Event& e);
  [[nodiscard]] size_t slot_of(uint64_t fingerprint) const;  // its slot, or the empty one it would take
  void insert(uint64_t fingerprint, Clock::rep admitted);
  void erase(uint64_t fingerprint, Clock::rep admitted);
  void grow();
  void forget_oldest();
  void expire(Clock::rep now);

  Clock::rep window_;
  size_t capacity_;
  ReduceStats& stats_;
  std::vector<Entry> slots_;
  size_t size_ = 0;
  std::deque<Entry> order_;  // admission order = expiry order
  std::string last_firewall_;
  uint64_t last_firewall_hash_ = 0;
};

}  // namespace flowd
