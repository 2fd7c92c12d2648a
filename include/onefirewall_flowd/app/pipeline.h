#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/decode/decoder.h"
#include "onefirewall_flowd/deliver/event_sink.h"
#include "onefirewall_flowd/deliver/stdout_sink.h"
#include "onefirewall_flowd/enrich/enricher.h"
#include "onefirewall_flowd/reduce/reducer.h"

namespace flowd {

struct PipelineStats {
  DecodeStats decode;
  EnrichStats enrich;
  ReduceStats reduce;
};

// What became of one decoded flow, for replay --explain.
struct FlowOutcome {
  const FlowRecord& flow;
  ScopeDrop drop;      // kNone when the flow became a record
  const Event& event;  // meaningful only when drop is kNone
  bool duplicate;      // a record reduce had already let through
  const Explanation& why;
};

// The decoder's limits, with templates.lifetime from the config.
[[nodiscard]] TemplateLimits template_limits(const Config& config);

// Datagrams and flows from one exporter, for the per-exporter metrics.
struct ExporterCounts {
  uint64_t packets = 0;
  uint64_t flows = 0;
  uint64_t sequence_lost = 0;
};

// decode → enrich → reduce → sink for the datagrams of one worker.
class Pipeline {
 public:
  // Exporters past this many share one series, so spoofed sources cannot grow it.
  static constexpr size_t kMaxExporterSeries = 1024;

  using Observer = std::function<void(const FlowOutcome&)>;

  Pipeline(const Config& config, PipelineStats& stats, EventSink& sink);

  // Called for every decoded flow, with the reasons; off the live path.
  void set_observer(Observer observer) { observer_ = std::move(observer); }

  void process(const Datagram& datagram);
  // Applies a reloaded config: exporters, networks, services, reduce window.
  void reconfigure(const Config& config);

  // Read on the pipeline's own thread only.
  [[nodiscard]] Decoder& decoder() { return decoder_; }
  [[nodiscard]] const Decoder& decoder() const { return decoder_; }
  [[nodiscard]] const std::map<IpAddress, ExporterCounts>& exporters() const { return exporters_; }
  [[nodiscard]] const ExporterCounts& other_exporters() const { return other_exporters_; }

 private:
  PipelineStats& stats_;
  EventSink& sink_;
  Decoder decoder_;
  std::unique_ptr<Enricher> enricher_;
  std::unique_ptr<Reducer> reducer_;
  std::chrono::milliseconds reduce_window_{};
  uint64_t reduce_capacity_ = 0;
  std::vector<FlowRecord> flows_;  // reused across datagrams
  Event event_;
  Observer observer_;
  std::map<IpAddress, ExporterCounts> exporters_;
  ExporterCounts other_exporters_;

  ExporterCounts& counts_for(const IpAddress& exporter);

  void process_observed(const FlowRecord& flow, Reducer::Clock::time_point now);
};

}  // namespace flowd
