// Datagrams as the load tool sends them, prepared in memory for the micro-benchmarks.
#pragma once

#include <vector>

#include "load/encoders.h"
#include "onefirewall_flowd/core/ip_address.h"

namespace flowd::bench {

struct EncodedDatagram {
  IpAddress exporter;
  std::vector<uint8_t> bytes;
};

// 4 exporters on 127.0.1.x drawing from 10k recurring conversations, with
// templates in the first datagram and every 100th, as flowd-load sends them.
inline std::vector<EncodedDatagram> load_traffic(load::Protocol protocol) {
  constexpr uint32_t kExporters = 4;
  constexpr uint64_t kConversations = 10'000;
  constexpr size_t kDatagramsPerExporter = 2'000;
  auto encoder = load::make_encoder(protocol);
  std::vector<EncodedDatagram> out;
  std::vector<uint8_t> buffer(load::kMaxDatagram);
  for (uint32_t e = 0; e < kExporters; ++e) {
    load::ExporterState state;
    state.domain = 1;
    load::ConversationSource source(kConversations / kExporters, false, e, kExporters);
    const load::ExportClock clock{3'600'000, 1'790'000'000'000};
    for (size_t i = 0; i < kDatagramsPerExporter; ++i) {
      const size_t n = encoder->encode(state, source, clock, buffer);
      out.push_back({IpAddress::from_v4(0x7f000101u + e), {buffer.begin(), buffer.begin() + n}});
    }
  }
  return out;
}

}  // namespace flowd::bench
