#pragma once

#include <memory>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/decode/decoder.h"
#include "onefirewall_flowd/deliver/stdout_sink.h"
#include "onefirewall_flowd/enrich/enricher.h"
#include "onefirewall_flowd/reduce/reducer.h"

namespace flowd {

struct PipelineStats {
  DecodeStats decode;
  EnrichStats enrich;
  ReduceStats reduce;
};

// decode → enrich → reduce → sink for the datagrams of one worker.
class Pipeline {
 public:
  Pipeline(const Config& config, PipelineStats& stats, StdoutSink& sink);

  void process(const Datagram& datagram);
  // Applies a reloaded config: exporters, networks, services, reduce window.
  void reconfigure(const Config& config);

 private:
  PipelineStats& stats_;
  StdoutSink& sink_;
  Decoder decoder_;
  std::unique_ptr<Enricher> enricher_;
  std::unique_ptr<Reducer> reducer_;
  std::chrono::milliseconds reduce_window_{};
  uint64_t reduce_capacity_ = 0;
  std::vector<FlowRecord> flows_;  // reused across datagrams
  Event event_;
};

}  // namespace flowd
