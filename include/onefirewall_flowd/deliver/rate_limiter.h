#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace flowd {

// The API's budget as an exact sliding window: never more than `requests`
// requests reach the server in any window of `period`.
//
// A start reserves a slot at once. When the request is over, settle() records
// when it reached the server (its start plus connection set-up, plus a margin
// for the trip), and the slot frees one period after that. Because a request
// reaches the server no earlier than it starts, this also bounds the starts.
// The caller passes the time, so tests need no sleeping.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(uint32_t requests, Clock::duration period);

  // What settle() adds to when a request went out, for its trip to the server:
  // 2% of the period, 20..200 ms.
  [[nodiscard]] static Clock::duration arrival_margin(std::chrono::milliseconds period);

  // Reserves a slot and returns true if one is free at `now`.
  bool try_start(Clock::time_point now);
  // Ends a reservation: the request reached the server at `arrival`.
  void settle(Clock::time_point arrival);
  // Counts a request that reached the server at `arrival` without a start here
  // (one sent before a restart).
  void note_arrival(Clock::time_point arrival);
  // Changes the budget (at least 1); slots held above a lower one free as they expire.
  void set_limit(uint32_t requests);
  [[nodiscard]] uint32_t limit() const { return limit_; }
  // The earliest time at or after `now` when a start fits; time_point::max()
  // while every slot is held by a request still in flight.
  [[nodiscard]] Clock::time_point next_start(Clock::time_point now);
  [[nodiscard]] uint32_t in_flight() const { return pending_; }

 private:
  void forget_before(Clock::time_point now);

  uint32_t limit_;
  Clock::duration period_;
  uint32_t pending_ = 0;
  std::deque<Clock::time_point> arrivals_;  // sorted
};

}  // namespace flowd
