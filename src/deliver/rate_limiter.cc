#include "onefirewall_flowd/deliver/rate_limiter.h"

#include <algorithm>

namespace flowd {

RateLimiter::RateLimiter(uint32_t requests, Clock::duration period)
    : limit_(requests == 0 ? 1 : requests), period_(period) {}

void RateLimiter::forget_before(Clock::time_point now) {
  // An arrival at a counts in every window (t - period, t] with a <= t < a + period.
  while (!arrivals_.empty() && now - arrivals_.front() >= period_) arrivals_.pop_front();
}

RateLimiter::Clock::duration RateLimiter::arrival_margin(std::chrono::milliseconds period) {
  using std::chrono::milliseconds;
  return std::clamp<milliseconds>(period / 50, milliseconds(20), milliseconds(200));
}

bool RateLimiter::try_start(Clock::time_point now) {
  forget_before(now);
  if (arrivals_.size() + pending_ >= limit_) return false;
  ++pending_;
  return true;
}

void RateLimiter::settle(Clock::time_point arrival) {
  if (pending_ > 0) --pending_;
  note_arrival(arrival);
}

void RateLimiter::note_arrival(Clock::time_point arrival) {
  arrivals_.insert(std::upper_bound(arrivals_.begin(), arrivals_.end(), arrival), arrival);
}

void RateLimiter::set_limit(uint32_t requests) {
  limit_ = requests == 0 ? 1 : requests;
}

RateLimiter::Clock::time_point RateLimiter::next_start(Clock::time_point now) {
  forget_before(now);
  const size_t held = arrivals_.size() + pending_;
  if (held < limit_) return now;
  if (pending_ >= limit_) return Clock::time_point::max();
  // The slot frees when the (held - limit + 1)-th oldest arrival leaves the window.
  return std::max(now, arrivals_[held - limit_] + period_);
}

}  // namespace flowd
