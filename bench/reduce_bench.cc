#include <benchmark/benchmark.h>

#include "onefirewall_flowd/reduce/reducer.h"

namespace flowd {
namespace {

std::vector<Event> events(size_t n) {
  std::vector<Event> out(n);
  for (size_t i = 0; i < n; ++i) {
    Event& e = out[i];
    e.firewall = "edge-fw-1";
    e.direction = Direction::kOutbound;
    e.src_ip = IpAddress::from_v4(0xC0A80000u + static_cast<uint32_t>(i));
    e.dst_ip = IpAddress::from_v4(0xC6336400u + static_cast<uint32_t>(i % 251));
    e.src_port = 40000;
    e.dst_port = 443;
    e.protocol = 6;
    e.service = "https";
  }
  return out;
}

// Recurring conversations: after the first pass every admit is a repeat.
void BM_ReduceRecurring(benchmark::State& state) {
  const auto all = events(static_cast<size_t>(state.range(0)));
  ReduceStats stats;
  Reducer reducer(std::chrono::hours(1), 1'000'000, stats);
  const auto now = Reducer::Clock::now();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(reducer.admit(all[i], now));
    if (++i == all.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReduceRecurring)->Arg(10'000)->Arg(100'000);

// Distinct conversations into a full table: every admit inserts and evicts the oldest.
void BM_ReduceEvicting(benchmark::State& state) {
  ReduceStats stats;
  Reducer reducer(std::chrono::hours(1), static_cast<size_t>(state.range(0)), stats);
  const auto now = Reducer::Clock::now();
  Event e = events(1)[0];
  uint32_t source = 0;
  for (size_t i = 0; i < static_cast<size_t>(state.range(0)); ++i) {
    e.src_ip = IpAddress::from_v4(++source);
    (void)reducer.admit(e, now);
  }
  for (auto _ : state) {
    e.src_ip = IpAddress::from_v4(++source);
    benchmark::DoNotOptimize(reducer.admit(e, now));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReduceEvicting)->Arg(10'000)->Arg(1'000'000);

}  // namespace
}  // namespace flowd
