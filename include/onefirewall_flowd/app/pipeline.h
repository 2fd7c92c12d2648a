#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "onefirewall_flowd/app/exporter_series.h"
#include "onefirewall_flowd/app/shared_stages.h"
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

// Which exporters may have decode state, from exporters.list and accept_unknown.
[[nodiscard]] ExporterAdmission exporter_admission(const Config& config);
// The decoder's limits, with templates.lifetime and the exporter list from
// the config; the totals divided over `decoders` so that they hold over all.
[[nodiscard]] TemplateLimits template_limits(const Config& config, size_t decoders = 1);

// decode → enrich → reduce → sink for the datagrams of one worker. Decode
// and enrich state (templates, sequence tracking, exporter counts) is the
// pipeline's own; reduce and the sink may be shared with other workers'
// pipelines (SharedStages). A datagram costs no heap allocation once its
// exporters, templates and conversations are known.
class Pipeline {
 public:
  static constexpr size_t kMaxExporterSeries = ExporterSeries::kMaxSeries;

  using Observer = std::function<void(const FlowOutcome&)>;

  // A pipeline with its own reduce memory and sink (replay, tests).
  Pipeline(const Config& config, PipelineStats& stats, EventSink& sink);
  // A worker's pipeline, feeding reduce and sink shared with other workers;
  // its decoder gets a 1/workers share of the decode caps.
  Pipeline(const Config& config, DecodeStats& decode, EnrichStats& enrich, SharedStages& shared,
           size_t workers = 1);

  // Called for every decoded flow, with the reasons; off the live path.
  void set_observer(Observer observer) { observer_ = std::move(observer); }

  // Returns false when the sink failed to take the records (a closed stdout).
  bool process(const Datagram& datagram) { return process(datagram, decoder_); }
  // The same with another decoder: an IPFIX-over-TCP session's, whose
  // templates are scoped to the connection.
  bool process(const Datagram& datagram, Decoder& decoder);
  // Applies a reloaded config: exporters, networks, services; and the reduce
  // settings when the pipeline owns its reduce memory.
  void reconfigure(const Config& config);
  // A worker's reload: an enricher built on another thread from the new config.
  void set_enricher(std::unique_ptr<Enricher> enricher) {
    enricher_ = std::move(enricher);
    look_up_names_in_decoder();
  }
  // A reload's exporter list: state of exporters no longer admitted as before is freed.
  void set_admission(ExporterAdmission admission) {
    exporters_.set_admission(admission);
    decoder_.set_admission(std::move(admission));
  }

  // templates.persist (see Decoder).
  size_t load_templates(std::span<const uint8_t> saved);
  [[nodiscard]] std::vector<uint8_t> save_templates() const {
    return decoder_.save_templates(std::chrono::system_clock::now());
  }

  // From any thread.
  [[nodiscard]] const ExporterSeries& exporters() const { return exporters_; }
  [[nodiscard]] size_t templates_active() const { return templates_active_.load(std::memory_order_relaxed); }

 private:
  void look_up_names_in_decoder();
  // Reduces a run's events and writes those let through.
  void deliver(const ClassifiedRun& run, Reducer::Clock::time_point now);
  void process_observed(const FlowRecord& flow, Reducer::Clock::time_point now);

  std::unique_ptr<SharedStages> own_stages_;  // set for a pipeline that is not a worker's
  SharedStages& shared_;
  DecodeStats& decode_stats_;
  EnrichStats& enrich_stats_;
  Decoder decoder_;
  // The decoder of the datagram in process(), whose interface and VRF names apply.
  const Decoder* decoding_ = &decoder_;
  std::unique_ptr<Enricher> enricher_;
  std::vector<FlowRecord> flows_;  // reused across datagrams
  std::vector<Event> events_;      // likewise; only grows, so its strings keep their capacity
  Event event_;                    // the observed path's
  bool sink_ok_ = true;
  Observer observer_;
  ExporterSeries exporters_;
  std::atomic<size_t> templates_active_{0};
};

}  // namespace flowd
