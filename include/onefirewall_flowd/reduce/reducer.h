#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "onefirewall_flowd/core/counter.h"
#include "onefirewall_flowd/core/event.h"
#include "onefirewall_flowd/core/firewall_hash.h"

namespace flowd {

struct ReduceStats {
  Counter passed;        // records let through
  Counter deduplicated;  // records suppressed as repeats within the window
  Counter evicted;       // conversations forgotten early because the table was full
};

// Lets one record per conversation key (firewall, direction, src_ip, dst_ip,
// dst_port, protocol, action) through per window. Memory is bounded by
// capacity; when full, the oldest conversation is forgotten and counted.
//
// A conversation is remembered as a 64-bit fingerprint of its key, once in an
// open-addressed table (8 bytes a slot, 0 = empty, load <= 0.5) and once in a
// FIFO ring of {fingerprint, expiry} (16 bytes) in admission order. Two keys
// share a fingerprint with odds of about 1 in 4*10^7 (n^2 / 2^65) across a full
// table of a million; that would merge two conversations for one window.
//
// Memory: both the FIFO ring and the table double together as conversations
// arrive, from 512 up to capacity, so a small deployment stays small. Per
// conversation that is 16-32 bytes of FIFO plus 16-32 of table while growing,
// and 16 plus 16-32 at capacity. A grow frees the table, grows the FIFO, then
// rebuilds the table from the FIFO, so old and new tables never coexist.
// At capacity 1M: table 2^21 * 8 = 16 MiB, FIFO 10^6 * 16 = 15.3 MiB, 31.3 MiB
// in all (33 bytes a conversation); the last grow peaks at no more (old FIFO
// 8 MiB + new FIFO 15.3 MiB, then new FIFO + new table).
class Reducer {
 public:
  using Clock = std::chrono::steady_clock;

  Reducer(std::chrono::milliseconds window, size_t capacity, ReduceStats& stats);

  // True when the event should be delivered.
  [[nodiscard]] bool admit(const Event& event, Clock::time_point now);
  // admit() over events of one firewall, whose name's firewall_hash() stands
  // for their `firewall` (the pipeline names only the records let through):
  // moves those to deliver to the front, in order, and returns how many. The
  // table slots of a batch are prefetched before the first lookup, so their
  // cache misses overlap instead of queueing.
  [[nodiscard]] size_t admit_all(std::span<Event> events, uint64_t firewall_hash, Clock::time_point now);
  [[nodiscard]] size_t size() const { return size_; }
  // Heap bytes held by the table and the FIFO.
  [[nodiscard]] size_t memory_bytes() const;

  // Adds the outcomes counted since the last call to the shared stats: admit()
  // counts in plain integers, since a locked add per flow cost as much as the
  // lookup. The pipeline publishes once a datagram.
  void publish_counts();

  ~Reducer() { publish_counts(); }
  Reducer(const Reducer&) = delete;
  Reducer& operator=(const Reducer&) = delete;

 private:
  struct Tally {
    uint64_t passed = 0;
    uint64_t deduplicated = 0;
    uint64_t evicted = 0;
  };

  struct Admission {
    uint64_t fingerprint;
    Clock::rep expires;  // admission time + window: expiry is one compare with the FIFO front
  };

  static constexpr size_t kPrefetchBatch = 32;

  // Forgets every conversation whose window has closed by `now`.
  void expire(Clock::rep now);
  // Admits after expire(now): every conversation left is still in its window.
  [[nodiscard]] bool admit_unexpired(uint64_t fingerprint, Clock::rep now);
  [[nodiscard]] size_t slot_of(uint64_t fingerprint) const;  // its slot, or the empty one it would take
  void erase(uint64_t fingerprint);
  void push(uint64_t fingerprint, Clock::rep expires);
  void forget_oldest();
  void grow();
  void rebuild_table(size_t slots);

  Clock::rep window_;
  size_t capacity_;
  ReduceStats& stats_;
  Tally tally_;
  std::vector<uint64_t> slots_;        // fingerprints, 0 marks an empty slot
  std::unique_ptr<Admission[]> fifo_;  // ring in admission order = expiry order
  size_t fifo_capacity_ = 0;
  size_t head_ = 0;  // the oldest admission
  size_t size_ = 0;  // conversations, in the table and in the FIFO alike
};

}  // namespace flowd
