#include "onefirewall_flowd/reduce/reducer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <functional>
#include <limits>

#include "onefirewall_flowd/reduce/fingerprint.h"

namespace flowd {
namespace {

constexpr size_t kInitialConversations = 512;

// Slots for a FIFO of this many conversations at a load of at most 0.5.
size_t slots_for(size_t conversations) {
  return std::bit_ceil(conversations * 2);
}

// The window in clock ticks, saturated: a window past the clock's range never closes.
Reducer::Clock::rep window_ticks(std::chrono::milliseconds window) {
  using Ticks = Reducer::Clock::duration;
  if (window.count() <= 0) return 0;
  if (window >= std::chrono::duration_cast<std::chrono::milliseconds>(Ticks::max()))
    return Ticks::max().count();
  return std::chrono::duration_cast<Ticks>(window).count();
}

}  // namespace

Reducer::Reducer(std::chrono::milliseconds window, size_t capacity, ReduceStats& stats)
    : window_(window_ticks(window)), capacity_(capacity == 0 ? 1 : capacity), stats_(stats) {
  if (window_ == 0) return;
  fifo_capacity_ = std::min(kInitialConversations, capacity_);
  fifo_ = std::make_unique_for_overwrite<Admission[]>(fifo_capacity_);
  slots_.assign(slots_for(fifo_capacity_), 0);
}

size_t Reducer::memory_bytes() const {
  return slots_.capacity() * sizeof(uint64_t) + fifo_capacity_ * sizeof(Admission);
}

size_t Reducer::slot_of(uint64_t fingerprint) const {
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(fingerprint) & mask;
  while (slots_[i] != fingerprint && slots_[i] != 0) i = (i + 1) & mask;
  return i;
}

// Linear-probing deletion without tombstones: later entries of the probe run
// move back into the gap, so lookups never stop early.
void Reducer::erase(uint64_t fingerprint) {
  const size_t mask = slots_.size() - 1;
  size_t gap = slot_of(fingerprint);
  assert(slots_[gap] == fingerprint);
  for (size_t i = (gap + 1) & mask; slots_[i] != 0; i = (i + 1) & mask) {
    const size_t home = static_cast<size_t>(slots_[i]) & mask;
    // Move the entry back when its home lies cyclically outside (gap, i].
    if (((i - home) & mask) >= ((i - gap) & mask)) {
      slots_[gap] = slots_[i];
      gap = i;
    }
  }
  slots_[gap] = 0;
}

void Reducer::push(uint64_t fingerprint, Clock::rep expires) {
  size_t tail = head_ + size_;
  if (tail >= fifo_capacity_) tail -= fifo_capacity_;
  fifo_[tail] = {fingerprint, expires};
  ++size_;
}

void Reducer::forget_oldest() {
  erase(fifo_[head_].fingerprint);
  if (++head_ == fifo_capacity_) head_ = 0;
  --size_;
}

// Called with the FIFO full and below capacity. The table is dropped before the
// new FIFO is allocated, so old and new tables never coexist.
void Reducer::grow() {
  assert(size_ == fifo_capacity_ && size_ < capacity_);
  const size_t conversations = std::min(fifo_capacity_ * 2, capacity_);
  std::vector<uint64_t>().swap(slots_);
  auto fifo = std::make_unique_for_overwrite<Admission[]>(conversations);
  const auto oldest = fifo_.get() + head_;
  std::copy(fifo_.get(), oldest, std::copy(oldest, fifo_.get() + fifo_capacity_, fifo.get()));
  fifo_ = std::move(fifo);
  fifo_capacity_ = conversations;
  head_ = 0;
  rebuild_table(slots_for(conversations));
}

void Reducer::rebuild_table(size_t slots) {
  slots_.assign(slots, 0);
  for (size_t i = 0; i < size_; ++i) slots_[slot_of(fifo_[i].fingerprint)] = fifo_[i].fingerprint;
}

bool Reducer::admit(const Event& e, Clock::time_point now) {
  if (window_ == 0) {
    ++tally_.passed;
    return true;
  }
  const Clock::rep t = now.time_since_epoch().count();
  expire(t);
  return admit_unexpired(conversation_fingerprint(firewall_hash(e.firewall), e), t);
}

size_t Reducer::admit_all(std::span<Event> events, uint64_t firewall_hash, Clock::time_point now) {
  if (window_ == 0) {
    tally_.passed += events.size();
    return events.size();
  }
  const Clock::rep t = now.time_since_epoch().count();
  // Once for the batch: what it admits expires after t.
  expire(t);
  std::array<uint64_t, kPrefetchBatch> fingerprints;
  size_t kept = 0;
  for (size_t begin = 0; begin < events.size(); begin += kPrefetchBatch) {
    const size_t n = std::min(kPrefetchBatch, events.size() - begin);
    for (size_t i = 0; i < n; ++i) {
      fingerprints[i] = conversation_fingerprint(firewall_hash, events[begin + i]);
      __builtin_prefetch(&slots_[static_cast<size_t>(fingerprints[i]) & (slots_.size() - 1)]);
    }
    for (size_t i = 0; i < n; ++i) {
      if (!admit_unexpired(fingerprints[i], t)) continue;
      if (kept != begin + i) std::swap(events[kept], events[begin + i]);
      ++kept;
    }
  }
  return kept;
}

void Reducer::expire(Clock::rep now) {
  while (size_ != 0 && now >= fifo_[head_].expires) forget_oldest();
}

bool Reducer::admit_unexpired(uint64_t fp, Clock::rep t) {
  size_t slot = slot_of(fp);
  if (slots_[slot] == fp) {
    ++tally_.deduplicated;
    return false;
  }
  if (size_ == capacity_) {
    forget_oldest();
    ++tally_.evicted;
    slot = slot_of(fp);  // the erase may have opened a gap earlier in the probe run
  } else if (size_ == fifo_capacity_) {
    grow();
    slot = slot_of(fp);
  }
  slots_[slot] = fp;
  const Clock::rep latest = std::numeric_limits<Clock::rep>::max();
  push(fp, t > latest - window_ ? latest : t + window_);
  ++tally_.passed;
  return true;
}

void Reducer::publish_counts() {
  if (tally_.passed != 0) stats_.passed.add(tally_.passed);
  if (tally_.deduplicated != 0) stats_.deduplicated.add(tally_.deduplicated);
  if (tally_.evicted != 0) stats_.evicted.add(tally_.evicted);
  tally_ = {};
}

}  // namespace flowd
