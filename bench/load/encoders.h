// NetFlow v5, v9 and IPFIX datagram encoders for the load tool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "conversations.h"

namespace flowd::load {

enum class Protocol { kV5, kV9, kIpfix };

std::string_view to_string(Protocol protocol);

// What one exporter has sent so far; each exporter has its own.
struct ExporterState {
  uint32_t domain = 0;      // v9 source_id / IPFIX observation domain
  uint64_t datagrams = 0;   // datagrams encoded
  uint64_t flows = 0;       // data records encoded
};

// The exporter's clocks at encoding time.
struct ExportClock {
  uint32_t uptime_ms = 0;
  uint64_t unix_ms = 0;
};

// Large enough for any datagram an encoder writes.
inline constexpr size_t kMaxDatagram = 1500;

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual size_t flows_per_datagram() const = 0;
  // Writes one datagram of flows_per_datagram() flows from `source` into `out`
  // (at least kMaxDatagram bytes) and returns its length.
  virtual size_t encode(ExporterState& exporter, ConversationSource& source, const ExportClock& clock,
                        std::span<uint8_t> out) = 0;
};

std::unique_ptr<Encoder> make_encoder(Protocol protocol);

// Every this many datagrams an exporter repeats its template (and with its first).
inline constexpr uint64_t kTemplateEvery = 100;

}  // namespace flowd::load
