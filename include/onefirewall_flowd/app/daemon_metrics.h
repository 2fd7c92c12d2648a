#pragma once

#include "onefirewall_flowd/app/delivery.h"
#include "onefirewall_flowd/app/worker_pool.h"
#include "onefirewall_flowd/metrics/metrics_registry.h"

namespace flowd {

// Registers the counters of every stage: receive, decode and enrich summed
// over the workers, the shared reduce, and delivery. All must outlive the
// registry's use.
void register_daemon_metrics(MetricsRegistry& registry, const WorkerPool& workers, const ReduceStats& reduce,
                             const Delivery& delivery);

}  // namespace flowd
