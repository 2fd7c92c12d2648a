#include <benchmark/benchmark.h>

#include "load_traffic.h"
#include "onefirewall_flowd/app/pipeline.h"
#include "onefirewall_flowd/decode/decoder.h"
#include "onefirewall_flowd/enrich/enricher.h"
#include "onefirewall_flowd/reduce/reducer.h"

namespace flowd {
namespace {

using bench::EncodedDatagram;
using bench::load_traffic;

// Decode, classify and reduce, as the pipeline runs them on every datagram:
// classify the datagram's run of flows, then one reduce call. Items are flows.
void hot_path(benchmark::State& state, load::Protocol protocol) {
  const auto traffic = load_traffic(protocol);
  DecodeStats decode_stats;
  EnrichStats enrich_stats;
  ReduceStats reduce_stats;
  Decoder decoder(decode_stats);
  Enricher enricher(Config::defaults(), enrich_stats);
  Reducer reducer(std::chrono::hours(1), 1'000'000, reduce_stats);
  std::vector<FlowRecord> flows;
  std::vector<Event> events(64);
  uint64_t processed = 0;
  size_t i = 0;
  for (auto _ : state) {
    const EncodedDatagram& d = traffic[i];
    if (++i == traffic.size()) i = 0;
    flows.clear();
    decoder.decode(Datagram{d.exporter, 2055, d.bytes, {}}, flows);
    if (events.size() < flows.size()) events.resize(flows.size());
    const ClassifiedRun run = enricher.classify_run(flows, events);
    enricher.publish_counts();
    const size_t kept =
        reducer.admit_all(std::span(events.data(), run.in_scope), run.firewall_hash, Reducer::Clock::now());
    reducer.publish_counts();
    for (size_t k = 0; k < kept; ++k) {
      events[k].firewall = *run.firewall;
      enricher.name_service(events[k]);
    }
    processed += flows.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(processed));
  state.counters["passed"] = static_cast<double>(reduce_stats.passed.value());
}

void BM_HotPathV5(benchmark::State& state) {
  hot_path(state, load::Protocol::kV5);
}
void BM_HotPathV9(benchmark::State& state) {
  hot_path(state, load::Protocol::kV9);
}
void BM_HotPathIpfix(benchmark::State& state) {
  hot_path(state, load::Protocol::kIpfix);
}
BENCHMARK(BM_HotPathV5);
BENCHMARK(BM_HotPathV9);
BENCHMARK(BM_HotPathIpfix);

class DiscardSink : public EventSink {
 public:
  void write(const Event&) override {}
  bool flush() override { return true; }
};

// The same datagrams through Pipeline::process, as a worker runs it: the
// difference from hot_path is the per-datagram cost of the app layer
// (exporter counts, the shared stages' locks, the sink).
void pipeline(benchmark::State& state, load::Protocol protocol) {
  const auto traffic = load_traffic(protocol);
  Config config = Config::defaults();
  config.reduce_window = std::chrono::hours(1);
  PipelineStats stats;
  DiscardSink sink;
  Pipeline pipeline(config, stats, sink);
  size_t i = 0;
  for (auto _ : state) {
    const EncodedDatagram& d = traffic[i];
    if (++i == traffic.size()) i = 0;
    benchmark::DoNotOptimize(pipeline.process(Datagram{d.exporter, 2055, d.bytes, {}}));
  }
  state.SetItemsProcessed(static_cast<int64_t>(stats.decode.flows.value()));
}

void BM_PipelineV5(benchmark::State& state) {
  pipeline(state, load::Protocol::kV5);
}
void BM_PipelineIpfix(benchmark::State& state) {
  pipeline(state, load::Protocol::kIpfix);
}
BENCHMARK(BM_PipelineV5);
BENCHMARK(BM_PipelineIpfix);

}  // namespace
}  // namespace flowd
