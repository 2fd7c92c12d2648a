#include <benchmark/benchmark.h>

#include "onefirewall_flowd/enrich/enricher.h"

namespace flowd {
namespace {

std::vector<FlowRecord> conversations(size_t n) {
  std::vector<FlowRecord> flows(n);
  for (size_t i = 0; i < n; ++i) {
    FlowRecord& f = flows[i];
    f.exporter = *IpAddress::parse("192.0.2.1");
    f.src_addr = IpAddress::from_v4(0xC0A80000u + static_cast<uint32_t>(i % 4096));  // 192.168.x.y
    f.dst_addr = IpAddress::from_v4(0xC6336400u + static_cast<uint32_t>(i % 251));   // 198.51.100.x
    f.src_port = static_cast<uint16_t>(40000 + i % 20000);
    f.dst_port = (i % 3 == 0) ? 443 : (i % 3 == 1 ? 53 : 8443);
    f.protocol = (i % 3 == 1) ? 17 : 6;
    if (i % 2 == 1) {  // every other flow is the reply half
      std::swap(f.src_addr, f.dst_addr);
      std::swap(f.src_port, f.dst_port);
    }
  }
  return flows;
}

void BM_Enrich(benchmark::State& state) {
  Config config = Config::defaults();
  ExporterConfig e;
  e.address = *Cidr::parse("192.0.2.0/24");
  e.name = "edge-fw-1";
  e.policy = config.exporter_defaults;
  config.exporters.push_back(e);
  EnrichStats stats;
  Enricher enricher(config, stats);
  const auto flows = conversations(10'000);
  Event event;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(enricher.enrich(flows[i], event));
    if (++i == flows.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Enrich);

}  // namespace
}  // namespace flowd
