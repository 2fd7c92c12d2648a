#include "onefirewall_flowd/app/pipeline.h"

#include <algorithm>

namespace flowd {

TemplateLimits template_limits(const Config& config) {
  TemplateLimits limits;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(config.template_lifetime);
  limits.template_lifetime = std::max(seconds, std::chrono::seconds(1));
  return limits;
}

Pipeline::Pipeline(const Config& config, PipelineStats& stats, EventSink& sink)
    : stats_(stats), sink_(sink), decoder_(stats.decode, template_limits(config)) {
  reconfigure(config);
}

void Pipeline::reconfigure(const Config& config) {
  enricher_ = std::make_unique<Enricher>(config, stats_.enrich);
  // The reduce memory survives a reload unless its own settings changed.
  if (reducer_ && reduce_window_ == config.reduce_window && reduce_capacity_ == config.reduce_capacity)
    return;
  reducer_ = std::make_unique<Reducer>(config.reduce_window, config.reduce_capacity, stats_.reduce);
  reduce_window_ = config.reduce_window;
  reduce_capacity_ = config.reduce_capacity;
}

ExporterCounts& Pipeline::counts_for(const IpAddress& exporter) {
  if (auto it = exporters_.find(exporter); it != exporters_.end()) return it->second;
  if (exporters_.size() >= kMaxExporterSeries) return other_exporters_;
  return exporters_[exporter];
}

void Pipeline::process(const Datagram& datagram) {
  flows_.clear();
  const uint64_t lost_before = stats_.decode.sequence_lost.value();
  decoder_.decode(datagram, flows_);
  ExporterCounts& counts = counts_for(datagram.exporter);
  ++counts.packets;
  counts.flows += flows_.size();
  counts.sequence_lost += stats_.decode.sequence_lost.value() - lost_before;
  const auto now = Reducer::Clock::now();
  for (const auto& flow : flows_) {
    if (observer_) {
      process_observed(flow, now);
      continue;
    }
    if (enricher_->classify(flow, event_) != ScopeDrop::kNone) continue;
    if (!reducer_->admit(event_, now)) continue;
    enricher_->name_service(event_);
    sink_.write(event_);
  }
  sink_.flush();
}

void Pipeline::process_observed(const FlowRecord& flow, Reducer::Clock::time_point now) {
  Explanation why;
  const ScopeDrop drop = enricher_->enrich(flow, event_, &why);
  bool duplicate = false;
  if (drop == ScopeDrop::kNone) {
    duplicate = !reducer_->admit(event_, now);
    if (!duplicate) sink_.write(event_);
  }
  observer_(FlowOutcome{flow, drop, event_, duplicate, why});
}

}  // namespace flowd
