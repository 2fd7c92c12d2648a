#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace flowd {

// Talks to systemd through sd_notify: READY, STATUS, WATCHDOG and STOPPING.
// Outside systemd (no $NOTIFY_SOCKET) every call is a cheap no-op.
class ServiceNotifier {
 public:
  ServiceNotifier();

  void ready() const;
  void status(const std::string& text) const;
  void watchdog() const;
  void stopping() const;

  // How often to ping the watchdog (half of WatchdogSec), when it is on.
  [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_interval() const {
    return watchdog_interval_;
  }
  [[nodiscard]] bool active() const { return active_; }

 private:
  bool active_ = false;
  std::optional<std::chrono::microseconds> watchdog_interval_;
};

}  // namespace flowd
