#pragma once

// Polls a condition for tests that wait on another thread or process.
#include <chrono>
#include <functional>
#include <thread>

namespace flowd::test {

// True as soon as `condition` holds; false when it still does not at `timeout`.
inline bool wait_until(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace flowd::test
