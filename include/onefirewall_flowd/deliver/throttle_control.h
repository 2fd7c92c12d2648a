#pragma once

#include <chrono>
#include <cstdint>

namespace flowd {

// Finds the rate the API accepts when it throttles below api.rate_limit:
// additive increase, multiplicative decrease. A 429 halves the budget (once for
// the requests that were in flight together); each period with requests
// accepted and no cut gives a fiftieth of the configured budget back (at least
// one request), up to the configured budget. The caller passes the time.
class ThrottleControl {
 public:
  using Clock = std::chrono::steady_clock;

  ThrottleControl(uint32_t configured, Clock::duration period);

  // A 429 for a request started at `started`; true when it cut the budget.
  bool on_throttled(Clock::time_point started, Clock::time_point now);
  // A request the API accepted; true when it raised the budget.
  bool on_accepted(Clock::time_point now);
  // Requests per period to allow now.
  [[nodiscard]] uint32_t limit() const { return limit_; }

 private:
  uint32_t configured_;
  uint32_t limit_;
  uint32_t step_;
  Clock::duration period_;
  Clock::time_point last_cut_{};
  Clock::time_point last_change_{};
};

}  // namespace flowd
