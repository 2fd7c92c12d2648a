#include "onefirewall_flowd/app/pipeline.h"

#include <algorithm>

#include "onefirewall_flowd/enrich/prefix_trie.h"

namespace flowd {

ExporterAdmission exporter_admission(const Config& config) {
  ExporterAdmission admission;
  admission.accept_unknown = config.accept_unknown_exporters;
  if (config.exporters.empty()) return admission;
  auto listed = std::make_shared<PrefixTrie<bool>>();
  for (const ExporterConfig& e : config.exporters) listed->insert(e.address, true);
  admission.listed = [listed](const IpAddress& address) { return listed->contains(address); };
  return admission;
}

TemplateLimits template_limits(const Config& config, size_t decoders) {
  TemplateLimits limits;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(config.template_lifetime);
  limits.template_lifetime = std::max(seconds, std::chrono::seconds(1));
  limits.admission = exporter_admission(config);
  return limits.divided(decoders);
}

Pipeline::Pipeline(const Config& config, PipelineStats& stats, EventSink& sink)
    : own_stages_(std::make_unique<SharedStages>(config, stats.reduce, sink)),
      shared_(*own_stages_),
      decode_stats_(stats.decode),
      enrich_stats_(stats.enrich),
      decoder_(stats.decode, template_limits(config)),
      enricher_(std::make_unique<Enricher>(config, stats.enrich)) {
  exporters_.set_admission(exporter_admission(config));
  look_up_names_in_decoder();
}

Pipeline::Pipeline(const Config& config, DecodeStats& decode, EnrichStats& enrich, SharedStages& shared,
                   size_t workers)
    : shared_(shared),
      decode_stats_(decode),
      enrich_stats_(enrich),
      decoder_(decode, template_limits(config, workers)),
      enricher_(std::make_unique<Enricher>(config, enrich)) {
  exporters_.set_admission(exporter_admission(config));
  look_up_names_in_decoder();
}

void Pipeline::reconfigure(const Config& config) {
  enricher_ = std::make_unique<Enricher>(config, enrich_stats_);
  look_up_names_in_decoder();
  set_admission(exporter_admission(config));
  // The reduce memory survives a reload unless its own settings changed.
  if (own_stages_) own_stages_->reconfigure(config);
}

// The enricher resolves interface and VRF names through the decoder that read
// the flows: a TCP session's names are its own, like its templates.
void Pipeline::look_up_names_in_decoder() {
  enricher_->set_interface_lookup(
      [this](const IpAddress& exporter, uint32_t domain) { return decoding_->interfaces(exporter, domain); });
  enricher_->set_vrf_lookup(
      [this](const IpAddress& exporter, uint32_t domain) { return decoding_->vrfs(exporter, domain); });
}

size_t Pipeline::load_templates(std::span<const uint8_t> saved) {
  const size_t loaded = decoder_.load_templates(saved, std::chrono::system_clock::now());
  templates_active_.store(decoder_.templates_active(), std::memory_order_relaxed);
  return loaded;
}

bool Pipeline::process(const Datagram& datagram, Decoder& decoder) {
  flows_.clear();
  decoding_ = &decoder;
  const uint64_t lost_before = decode_stats_.sequence_lost.value();
  decoder.decode(datagram, flows_);
  const auto heard_at =
      std::chrono::duration_cast<std::chrono::seconds>(datagram.received.time_since_epoch());
  exporters_.count(datagram.exporter, flows_.size(), decode_stats_.sequence_lost.value() - lost_before,
                   heard_at.count());
  templates_active_.store(decoder_.templates_active(), std::memory_order_relaxed);
  if (flows_.empty()) return sink_ok_;
  const auto now = Reducer::Clock::now();
  if (observer_) {
    for (const auto& flow : flows_) process_observed(flow, now);
    enricher_->publish_counts();
    return sink_ok_;
  }
  if (events_.size() < flows_.size()) events_.resize(flows_.size());
  // A datagram's flows share one exporter, so this is one run, one lock.
  for (size_t begin = 0; begin < flows_.size();) {
    const ClassifiedRun run = enricher_->classify_run(std::span(flows_).subspan(begin), events_);
    begin += run.flows;
    deliver(run, now);
  }
  enricher_->publish_counts();
  return sink_ok_;
}

// The firewall and service are named only for the records reduce lets through.
void Pipeline::deliver(const ClassifiedRun& run, Reducer::Clock::time_point now) {
  if (run.in_scope == 0) return;
  const size_t admitted = shared_.admit(std::span(events_.data(), run.in_scope), run.firewall_hash, now);
  if (admitted == 0) return;
  for (size_t i = 0; i < admitted; ++i) {
    events_[i].firewall = *run.firewall;
    enricher_->name_service(events_[i]);
  }
  if (!shared_.write(std::span<const Event>(events_.data(), admitted))) sink_ok_ = false;
}

void Pipeline::process_observed(const FlowRecord& flow, Reducer::Clock::time_point now) {
  Explanation why;
  const ScopeDrop drop = enricher_->enrich(flow, event_, &why);
  bool duplicate = false;
  if (drop == ScopeDrop::kNone) {
    duplicate = shared_.admit(std::span(&event_, 1), firewall_hash(event_.firewall), now) == 0;
    if (!duplicate && !shared_.write(std::span<const Event>(&event_, 1))) sink_ok_ = false;
  }
  observer_(FlowOutcome{flow, drop, event_, duplicate, why});
}

}  // namespace flowd
