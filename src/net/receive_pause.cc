#include "onefirewall_flowd/net/receive_pause.h"

#include <algorithm>

namespace flowd {

std::chrono::microseconds next_pause(uint64_t drained_cost, std::chrono::nanoseconds interval,
                                     uint64_t receive_buffer) {
  if (drained_cost == 0) return kMaxPause;
  const double target = static_cast<double>(receive_buffer) / 4;
  const double interval_us = std::chrono::duration<double, std::micro>(interval).count();
  const double pause_us = std::max(interval_us, 0.0) * target / static_cast<double>(drained_cost);
  const double clamped =
      std::clamp(pause_us, static_cast<double>(kMinPause.count()), static_cast<double>(kMaxPause.count()));
  return std::chrono::microseconds(static_cast<int64_t>(clamped));
}

}  // namespace flowd
