#include <benchmark/benchmark.h>

#include "decode/hex.h"
#include "decode/v5_vectors.h"
#include "load_traffic.h"
#include "onefirewall_flowd/decode/decoder.h"

namespace flowd {
namespace {

// A full v5 datagram: the two annotated records repeated to the maximum of 30.
std::vector<uint8_t> full_v5_datagram() {
  auto bytes = test::hex(test::kV5TwoRecords);
  const std::vector<uint8_t> records(bytes.begin() + 24, bytes.end());
  bytes.resize(24);
  for (int i = 0; i < 15; ++i) bytes.insert(bytes.end(), records.begin(), records.end());
  bytes[3] = 30;
  return bytes;
}

void BM_DecodeV5(benchmark::State& state) {
  const auto bytes = full_v5_datagram();
  DecodeStats stats;
  Decoder decoder(stats);
  std::vector<FlowRecord> out;
  out.reserve(64);
  const Datagram datagram{*IpAddress::parse("192.0.2.1"), 2055, bytes, {}};
  for (auto _ : state) {
    out.clear();
    decoder.decode(datagram, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 30);
}
BENCHMARK(BM_DecodeV5);

// The load tool's v9 or IPFIX datagrams, template refreshes included; items are flows.
void decode_load_traffic(benchmark::State& state, load::Protocol protocol) {
  const auto traffic = bench::load_traffic(protocol);
  DecodeStats stats;
  Decoder decoder(stats);
  std::vector<FlowRecord> out;
  uint64_t flows = 0;
  size_t i = 0;
  for (auto _ : state) {
    const bench::EncodedDatagram& d = traffic[i];
    if (++i == traffic.size()) i = 0;
    out.clear();
    decoder.decode(Datagram{d.exporter, 2055, d.bytes, {}}, out);
    flows += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(flows));
}
void BM_DecodeV9(benchmark::State& state) {
  decode_load_traffic(state, load::Protocol::kV9);
}
void BM_DecodeIpfix(benchmark::State& state) {
  decode_load_traffic(state, load::Protocol::kIpfix);
}
BENCHMARK(BM_DecodeV9);
BENCHMARK(BM_DecodeIpfix);

}  // namespace
}  // namespace flowd
