#pragma once

#include <chrono>
#include <cstdint>

namespace flowd {

// What one queued datagram costs the socket's receive buffer beyond its
// payload: the kernel's packet buffer and bookkeeping.
inline constexpr uint64_t kDatagramOverhead = 768;
inline constexpr std::chrono::microseconds kMinPause{100};
inline constexpr std::chrono::microseconds kMaxPause{10'000};

// The receive-buffer bytes that `datagrams` datagrams carrying `payload_bytes` in all took.
[[nodiscard]] constexpr uint64_t buffer_cost(uint64_t datagrams, uint64_t payload_bytes) {
  return payload_bytes + datagrams * kDatagramOverhead;
}

// The pause after a drain, before the listener waits on the socket again.
// Every wakeup costs CPU, so the longer the pause the more datagrams one
// wakeup takes; but while it sleeps the socket buffer fills and must not
// overflow. The drain took `drained_cost` bytes that arrived over
// `interval`; at that rate, sleep until the buffer would hold a quarter of
// `receive_buffer` (what the kernel granted), which leaves room for a burst
// of four times the rate. An idle socket gets the longest pause only when
// that keeps the estimated fill under the quarter, too.
[[nodiscard]] std::chrono::microseconds next_pause(uint64_t drained_cost, std::chrono::nanoseconds interval,
                                                   uint64_t receive_buffer);

}  // namespace flowd
