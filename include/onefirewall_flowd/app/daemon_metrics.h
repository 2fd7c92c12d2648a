#pragma once

#include "onefirewall_flowd/app/delivery.h"
#include "onefirewall_flowd/app/worker_pool.h"
#include "onefirewall_flowd/metrics/metrics_registry.h"

namespace flowd {

// What the metrics report about the daemon itself. The config is the running
// one, read on the metrics thread (the io_context's, which also reloads it).
struct DaemonInfo {
  const Config& config;
  int64_t started_at = 0;  // Unix seconds
};

// Registers the counters of every stage: receive, decode and enrich summed
// over the workers, the shared reduce, and delivery. All must outlive the
// registry's use.
void register_daemon_metrics(MetricsRegistry& registry, const DaemonInfo& info, const WorkerPool& workers,
                             const ReduceStats& reduce, const Delivery& delivery);

}  // namespace flowd
