#include "onefirewall_flowd/net/receive_pause.h"

#include <algorithm>

namespace flowd {
namespace {

std::chrono::microseconds clamp_pause(double pause_us, std::chrono::microseconds longest) {
  const double clamped =
      std::clamp(pause_us, static_cast<double>(kMinPause.count()), static_cast<double>(longest.count()));
  return std::chrono::microseconds(static_cast<int64_t>(clamped));
}

}  // namespace

std::chrono::microseconds longest_pause(uint64_t receive_buffer) {
  const double fill = static_cast<double>(receive_buffer) * 3 / 4;
  return clamp_pause(fill * 1e6 / static_cast<double>(kBurstCostPerSecond), kMaxPause);
}

std::chrono::microseconds next_pause(uint64_t drained_cost, std::chrono::nanoseconds interval,
                                     uint64_t receive_buffer) {
  const auto longest = longest_pause(receive_buffer);
  if (drained_cost == 0) return longest;
  const double target = static_cast<double>(receive_buffer) / 4;
  const double interval_us = std::chrono::duration<double, std::micro>(interval).count();
  const double pause_us = std::max(interval_us, 0.0) * target / static_cast<double>(drained_cost);
  return clamp_pause(pause_us, longest);
}

}  // namespace flowd
