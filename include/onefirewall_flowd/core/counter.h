#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace flowd {

// A monotonically increasing count, safe to bump from any thread.
class Counter {
 public:
  void add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// One counter per value of an enum whose last member is kCount.
template <typename Reason>
class ReasonCounters {
 public:
  static constexpr size_t kSize = static_cast<size_t>(Reason::kCount);

  void add(Reason reason, uint64_t n = 1) { counters_[static_cast<size_t>(reason)].add(n); }
  [[nodiscard]] uint64_t value(Reason reason) const { return counters_[static_cast<size_t>(reason)].value(); }
  [[nodiscard]] uint64_t total() const {
    uint64_t sum = 0;
    for (const auto& c : counters_) sum += c.value();
    return sum;
  }

 private:
  std::array<Counter, kSize> counters_{};
};

}  // namespace flowd
