#include "onefirewall_flowd/app/health_monitor.h"

#include <algorithm>

namespace flowd {

void HealthMonitor::sample(bool listening, uint64_t delivered, uint64_t waiting, bool auth_paused,
                           Clock::time_point now) {
  if (!started_ || delivered != last_delivered_ || waiting == 0) {
    started_ = true;
    last_delivered_ = delivered;
    last_progress_ = now;
  }
  const uint64_t spool_errors = spool_errors_ - std::min(spool_errors_, spool_errors_sampled_);
  spool_errors_sampled_ = spool_errors_;
  if (!listening) {
    health_ = {false, "not listening"};
  } else if (auth_paused) {
    health_ = {false, "delivery paused: the API refuses the token"};
  } else if (spool_errors > 0) {
    health_ = {false, "the spool cannot be written: " + std::to_string(spool_errors) +
                          " records dropped since the last check"};
  } else if (now - last_progress_ > stuck_after_) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - last_progress_).count();
    health_ = {false, "delivery stuck: " + std::to_string(waiting) + " records waiting, none delivered for " +
                          std::to_string(seconds) + " s"};
  } else {
    health_ = {true, ""};
  }
}

}  // namespace flowd
