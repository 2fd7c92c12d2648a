#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace flowd {

// At most one log line per interval; the lines held back are counted into the next one.
class ThrottledLog {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ThrottledLog(std::chrono::seconds interval) : interval_(interval) {}

  void log(spdlog::level::level_enum level, const std::string& line) {
    const auto now = Clock::now();
    if (now < next_) {
      ++held_back_;
      return;
    }
    next_ = now + interval_;
    if (held_back_ == 0) {
      spdlog::log(level, "{}", line);
    } else {
      spdlog::log(level, "{} ({} similar messages held back)", line, held_back_);
    }
    held_back_ = 0;
  }

 private:
  std::chrono::seconds interval_;
  Clock::time_point next_{};
  uint64_t held_back_ = 0;
};

}  // namespace flowd
