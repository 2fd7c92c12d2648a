#include "onefirewall_flowd/reduce/reducer.h"

#include <functional>

namespace flowd {
namespace {

size_t mix(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}

size_t hash_address(size_t seed, const IpAddress& a) {
  for (uint8_t b : a.bytes()) seed = mix(seed, b);
  return seed;
}

}  // namespace

size_t Reducer::KeyHash::operator()(const Key& k) const {
  size_t h = std::hash<std::string>{}(k.firewall);
  h = hash_address(h, k.src);
  h = hash_address(h, k.dst);
  h = mix(h, k.dst_port);
  h = mix(h, k.protocol);
  h = mix(h, static_cast<size_t>(k.direction) << 1 | static_cast<size_t>(k.action));
  return h;
}

Reducer::Reducer(std::chrono::milliseconds window, size_t capacity, ReduceStats& stats)
    : window_(window), capacity_(capacity == 0 ? 1 : capacity), stats_(stats) {}

void Reducer::expire(Clock::time_point now) {
  while (!order_.empty() && now - order_.front().first >= window_) {
    auto it = seen_.find(order_.front().second);
    // A newer admission of the same key re-queued it; only the latest entry erases.
    if (it != seen_.end() && it->second == order_.front().first) seen_.erase(it);
    order_.pop_front();
  }
}

bool Reducer::admit(const Event& e, Clock::time_point now) {
  if (window_.count() == 0) {
    stats_.passed.add();
    return true;
  }
  expire(now);
  Key key{e.firewall, e.src_ip, e.dst_ip, e.dst_port, e.protocol, e.direction, e.action};
  if (seen_.contains(key)) {
    stats_.deduplicated.add();
    return false;
  }
  while (seen_.size() >= capacity_ && !order_.empty()) {
    auto it = seen_.find(order_.front().second);
    if (it != seen_.end() && it->second == order_.front().first) {
      seen_.erase(it);
      stats_.evicted.add();
    }
    order_.pop_front();
  }
  seen_.emplace(key, now);
  order_.emplace_back(now, std::move(key));
  stats_.passed.add();
  return true;
}

}  // namespace flowd
