#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "onefirewall_flowd/metrics/metrics_server.h"

namespace flowd {

// Decides /healthz from samples of the delivery counters: unhealthy while the
// API refuses the token, while records are dropped because the spool cannot
// be written, or when records wait and none was delivered for longer than
// stuck_after.
class HealthMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  explicit HealthMonitor(std::chrono::seconds stuck_after = std::chrono::minutes(5))
      : stuck_after_(stuck_after) {}

  void sample(bool listening, uint64_t delivered, uint64_t waiting, bool auth_paused, Clock::time_point now);
  // Records dropped so far because the spool could not be written; the next
  // sample() is unhealthy when it grew since the one before.
  void count_spool_errors(uint64_t dropped) { spool_errors_ = dropped; }
  [[nodiscard]] Health health() const { return health_; }

 private:
  std::chrono::seconds stuck_after_;
  uint64_t last_delivered_ = 0;
  Clock::time_point last_progress_{};
  bool started_ = false;
  uint64_t spool_errors_ = 0;
  uint64_t spool_errors_sampled_ = 0;
  Health health_;
};

}  // namespace flowd
