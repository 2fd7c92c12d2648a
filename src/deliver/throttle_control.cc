#include "onefirewall_flowd/deliver/throttle_control.h"

#include <algorithm>

namespace flowd {

ThrottleControl::ThrottleControl(uint32_t configured, Clock::duration period)
    : configured_(std::max<uint32_t>(configured, 1)),
      limit_(configured_),
      step_(std::max<uint32_t>(configured_ / 50, 1)),
      period_(period) {}

bool ThrottleControl::on_throttled(Clock::time_point started, Clock::time_point now) {
  // Requests already in flight at the last cut were sent at the old rate.
  if (last_cut_ != Clock::time_point{} && started < last_cut_) return false;
  limit_ = std::max<uint32_t>(limit_ / 2, 1);
  last_cut_ = now;
  last_change_ = now;
  return true;
}

bool ThrottleControl::on_accepted(Clock::time_point now) {
  if (limit_ >= configured_ || now - last_change_ < period_) return false;
  limit_ = std::min(configured_, limit_ + step_);
  last_change_ = now;
  return true;
}

}  // namespace flowd
