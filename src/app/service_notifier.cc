#include "onefirewall_flowd/app/service_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace flowd {

ServiceNotifier::ServiceNotifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  active_ = socket != nullptr && *socket != '\0';
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) watchdog_interval_ = std::chrono::microseconds(usec / 2);
}

void ServiceNotifier::ready() const {
  if (active_) sd_notify(0, "READY=1");
}

void ServiceNotifier::status(const std::string& text) const {
  if (active_) sd_notify(0, ("STATUS=" + text).c_str());
}

void ServiceNotifier::watchdog() const {
  if (active_) sd_notify(0, "WATCHDOG=1");
}

void ServiceNotifier::stopping() const {
  if (active_) sd_notify(0, "STOPPING=1");
}

}  // namespace flowd
