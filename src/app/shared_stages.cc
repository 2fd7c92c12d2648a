#include "onefirewall_flowd/app/shared_stages.h"

#include <utility>

namespace flowd {

SharedStages::SharedStages(const Config& config, ReduceStats& stats, EventSink& sink)
    : stats_(stats),
      sink_(sink),
      window_(config.reduce_window),
      capacity_(config.reduce_capacity),
      reducer_(std::make_unique<Reducer>(window_, capacity_, stats_)) {}

void SharedStages::reconfigure(const Config& config) {
  if (window_ == config.reduce_window && capacity_ == config.reduce_capacity) return;
  window_ = config.reduce_window;
  capacity_ = config.reduce_capacity;
  auto fresh = std::make_unique<Reducer>(window_, capacity_, stats_);
  std::lock_guard lock(reduce_mutex_);
  std::swap(reducer_, fresh);
}

size_t SharedStages::admit(std::span<Event> events, uint64_t firewall_hash, Reducer::Clock::time_point now) {
  std::lock_guard lock(reduce_mutex_);
  const size_t kept = reducer_->admit_all(events, firewall_hash, now);
  reducer_->publish_counts();
  return kept;
}

bool SharedStages::write(std::span<const Event> events) {
  std::lock_guard lock(sink_mutex_);
  for (const Event& event : events) sink_.write(event);
  return sink_.flush();
}

}  // namespace flowd
