#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <unordered_map>

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
class Reducer {
 public:
  using Clock = std::chrono::steady_clock;

  Reducer(std::chrono::milliseconds window, size_t capacity, ReduceStats& stats);

  // True when the event should be delivered.
  [[nodiscard]] bool admit(const Event& event, Clock::time_point now);
  [[nodiscard]] size_t size() const { return seen_.size(); }

 private:
  struct Key {
    std::string firewall;
    IpAddress src, dst;
    uint16_t dst_port;
    uint8_t protocol;
    Direction direction;
    Action action;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  void expire(Clock::time_point now);

  std::chrono::milliseconds window_;
  size_t capacity_;
  ReduceStats& stats_;
  std::unordered_map<Key, Clock::time_point, KeyHash> seen_;
  std::deque<std::pair<Clock::time_point, Key>> order_;  // admission order = expiry order
};

}  // namespace flowd
