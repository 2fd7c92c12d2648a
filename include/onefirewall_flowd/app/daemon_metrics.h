#pragma once

#include "onefirewall_flowd/app/delivery.h"
#include "onefirewall_flowd/app/pipeline.h"
#include "onefirewall_flowd/metrics/metrics_registry.h"
#include "onefirewall_flowd/net/udp_listener.h"

namespace flowd {

// Registers the counters of every stage: receive, decode, enrich, reduce and
// delivery. The stats must outlive the registry's use.
void register_daemon_metrics(MetricsRegistry& registry, const ListenerStats& net, const Pipeline& pipeline,
                             const PipelineStats& stats, const Delivery& delivery);

}  // namespace flowd
