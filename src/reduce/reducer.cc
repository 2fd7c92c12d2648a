#include "onefirewall_flowd/reduce/reducer.h"

#include <bit>
#include <cstring>
#include <functional>

namespace flowd {
namespace {

constexpr size_t kInitialSlots = 1024;

// splitmix64's finalizer: every input bit reaches every output bit.
uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

uint64_t absorb(uint64_t h, uint64_t word) {
  return mix(h ^ word) + 0x9e3779b97f4a7c15ull;
}

uint64_t absorb_address(uint64_t h, const IpAddress& a) {
  uint64_t high = 0, low = 0;
  std::memcpy(&high, a.bytes().data(), 8);
  std::memcpy(&low, a.bytes().data() + 8, 8);
  return absorb(absorb(h, high), low);
}

}  // namespace

Reducer::Reducer(std::chrono::milliseconds window, size_t capacity, ReduceStats& stats)
    : window_(std::chrono::duration_cast<Clock::duration>(window).count()),
      capacity_(capacity == 0 ? 1 : capacity),
      stats_(stats),
      slots_(kInitialSlots) {}

uint64_t Reducer::fingerprint(const Event& e) {
  if (e.firewall != last_firewall_ || last_firewall_hash_ == 0) {
    last_firewall_ = e.firewall;
    last_firewall_hash_ = std::hash<std::string>{}(e.firewall) | 1;
  }
  uint64_t h = absorb(last_firewall_hash_, (uint64_t{e.dst_port} << 24) | (uint64_t{e.protocol} << 16) |
                                               (uint64_t{static_cast<uint8_t>(e.direction)} << 8) |
                                               static_cast<uint8_t>(e.action));
  h = absorb_address(h, e.src_ip);
  h = absorb_address(h, e.dst_ip);
  return h == 0 ? 1 : h;
}

size_t Reducer::slot_of(uint64_t fingerprint) const {
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(fingerprint) & mask;
  while (slots_[i].fingerprint != 0 && slots_[i].fingerprint != fingerprint) i = (i + 1) & mask;
  return i;
}

void Reducer::insert(uint64_t fingerprint, Clock::rep admitted) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  slots_[slot_of(fingerprint)] = {fingerprint, admitted};
  ++size_;
}

void Reducer::grow() {
  std::vector<Entry> old(slots_.size() * 2);
  old.swap(slots_);
  for (const Entry& e : old) {
    if (e.fingerprint != 0) slots_[slot_of(e.fingerprint)] = e;
  }
}

// Linear-probing deletion without tombstones: later entries of the probe run
// move back into the gap, so lookups never stop early.
void Reducer::erase(uint64_t fingerprint, Clock::rep admitted) {
  const size_t mask = slots_.size() - 1;
  size_t gap = slot_of(fingerprint);
  if (slots_[gap].fingerprint != fingerprint || slots_[gap].admitted != admitted) return;
  for (size_t i = (gap + 1) & mask; slots_[i].fingerprint != 0; i = (i + 1) & mask) {
    const size_t home = static_cast<size_t>(slots_[i].fingerprint) & mask;
    // Move the entry back when its home lies cyclically outside (gap, i].
    if (((i - home) & mask) >= ((i - gap) & mask)) {
      slots_[gap] = slots_[i];
      gap = i;
    }
  }
  slots_[gap] = {};
  --size_;
}

void Reducer::forget_oldest() {
  erase(order_.front().fingerprint, order_.front().admitted);
  order_.pop_front();
}

void Reducer::expire(Clock::rep now) {
  while (!order_.empty() && now - order_.front().admitted >= window_) forget_oldest();
}

bool Reducer::admit(const Event& e, Clock::time_point now) {
  if (window_ == 0) {
    stats_.passed.add();
    return true;
  }
  const Clock::rep t = now.time_since_epoch().count();
  expire(t);
  const uint64_t fp = fingerprint(e);
  if (slots_[slot_of(fp)].fingerprint == fp) {
    stats_.deduplicated.add();
    return false;
  }
  while (size_ >= capacity_ && !order_.empty()) {
    forget_oldest();
    stats_.evicted.add();
  }
  insert(fp, t);
  order_.push_back({fp, t});
  stats_.passed.add();
  return true;
}

}  // namespace flowd
