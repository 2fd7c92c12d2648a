#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <span>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/event.h"
#include "onefirewall_flowd/deliver/event_sink.h"
#include "onefirewall_flowd/reduce/reducer.h"

namespace flowd {

// The stages every worker's pipeline feeds: one reduce memory, so that a
// conversation seen by two workers (two exporters sharing a firewall name)
// still yields one record, and one sink. Each has a mutex that a worker
// takes once per datagram, never per flow.
class SharedStages {
 public:
  SharedStages(const Config& config, ReduceStats& stats, EventSink& sink);

  // A reload, from one thread at a time: a new reduce memory only when
  // reduce.window or reduce.capacity changed.
  void reconfigure(const Config& config);

  // Moves the events of one firewall (firewall_hash() of its name) that
  // reduce lets through to the front, in order, and returns how many there are.
  size_t admit(std::span<Event> events, uint64_t firewall_hash, Reducer::Clock::time_point now);
  // Writes the events and flushes the sink; false when the sink failed.
  bool write(std::span<const Event> events);

 private:
  ReduceStats& stats_;
  EventSink& sink_;
  std::chrono::milliseconds window_;
  uint64_t capacity_;
  std::mutex reduce_mutex_;
  std::unique_ptr<Reducer> reducer_;  // replaced under reduce_mutex_
  std::mutex sink_mutex_;
};

}  // namespace flowd
