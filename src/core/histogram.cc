#include "onefirewall_flowd/core/histogram.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace flowd {
namespace {

std::vector<double> checked(std::vector<double> bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      throw std::invalid_argument("histogram bound " + std::to_string(i) + " is not finite");
    }
    if (i > 0 && !(bounds[i - 1] < bounds[i])) {
      throw std::invalid_argument("histogram bounds are not strictly ascending at bound " +
                                  std::to_string(i));
    }
  }
  return bounds;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(checked(std::move(bounds))), buckets_(bounds_.size() + 1) {}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  s.cumulative.reserve(bounds_.size());
  for (size_t i = 0; i < bounds_.size(); ++i) {
    s.count += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(s.count);
  }
  s.count += buckets_.back().load(std::memory_order_relaxed);
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace flowd
