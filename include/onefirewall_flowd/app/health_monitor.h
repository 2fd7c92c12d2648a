#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "onefirewall_flowd/metrics/metrics_server.h"

namespace flowd {

// Decides /healthz from samples of the delivery counters: unhealthy while the
// API refuses the token, or when records wait and none was delivered for
// longer than stuck_after.
class HealthMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  explicit HealthMonitor(std::chrono::seconds stuck_after = std::chrono::minutes(5))
      : stuck_after_(stuck_after) {}

  void sample(bool listening, uint64_t delivered, uint64_t waiting, bool auth_paused, Clock::time_point now);
  [[nodiscard]] Health health() const { return health_; }

 private:
  std::chrono::seconds stuck_after_;
  uint64_t last_delivered_ = 0;
  Clock::time_point last_progress_{};
  bool started_ = false;
  Health health_;
};

}  // namespace flowd
