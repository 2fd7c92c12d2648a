#pragma once

#include <chrono>
#include <cstdint>

namespace flowd {

// What one queued datagram costs the socket's receive buffer beyond its
// payload: the kernel's packet buffer and bookkeeping.
inline constexpr uint64_t kDatagramOverhead = 768;
inline constexpr std::chrono::microseconds kMinPause{100};
// Each wakeup costs far more than its datagrams on a VM (the CI machine: a
// 10 ms cap cost 25% more CPU per flow than 40 ms at 600k flows/s).
inline constexpr std::chrono::microseconds kMaxPause{40'000};
// A burst that a pause must survive whatever rate came before it: about a
// 10 Gb/s line of datagrams, and more than loopback carries here at 12M v5 flows/s.
inline constexpr uint64_t kBurstCostPerSecond = uint64_t{1} << 30;

// The longest pause for a buffer: the time a burst at kBurstCostPerSecond takes
// to fill three quarters of it, within [kMinPause, kMaxPause].
[[nodiscard]] std::chrono::microseconds longest_pause(uint64_t receive_buffer);

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
// that keeps the estimated fill under the quarter, too. No pause is longer
// than longest_pause(receive_buffer).
[[nodiscard]] std::chrono::microseconds next_pause(uint64_t drained_cost, std::chrono::nanoseconds interval,
                                                   uint64_t receive_buffer);

}  // namespace flowd
