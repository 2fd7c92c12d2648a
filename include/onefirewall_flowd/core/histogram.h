#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flowd {

// A Prometheus histogram: counts observations into buckets by upper bound
// (inclusive, Prometheus `le`) and keeps their sum. observe() is lock-free and
// safe from any thread; the buckets are fixed at construction.
class Histogram {
 public:
  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // One per bound: observations <= that bound.
    uint64_t count = 0;                // All observations, the +Inf bucket.
    double sum = 0;
  };

  // Bounds must be finite and strictly ascending; throws std::invalid_argument otherwise.
  explicit Histogram(std::vector<double> bounds);

  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // NaN is ignored; a value at or below the first bound, e.g. a negative one, counts there.
  void observe(double value) {
    if (std::isnan(value)) return;
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
    buckets_[static_cast<size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
  }

  // Reads each bucket once, so cumulative and count always agree; under concurrent
  // observe() the sum may include an observation the counts miss, or the reverse.
  [[nodiscard]] Snapshot snapshot() const;

 private:
  static_assert(std::atomic<double>::is_always_lock_free);
  static_assert(std::atomic<uint64_t>::is_always_lock_free);

  std::vector<double> bounds_;
  std::vector<std::atomic<uint64_t>> buckets_;  // Not cumulative; the last one is +Inf.
  std::atomic<double> sum_{0};
};

}  // namespace flowd
