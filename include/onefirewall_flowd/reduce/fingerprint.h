#pragma once

#include <cstdint>
#include <cstring>

#include "onefirewall_flowd/core/event.h"
#include "onefirewall_flowd/core/firewall_hash.h"

namespace flowd {

namespace fingerprint_detail {

__extension__ typedef unsigned __int128 Wide;

// The full 128-bit product with its halves xored: every bit of either factor
// reaches the middle of the result (wyhash's mix).
inline uint64_t fold_multiply(uint64_t a, uint64_t b) {
  const Wide product = static_cast<Wide>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

inline uint64_t word(const IpAddress& address, size_t offset) {
  uint64_t w = 0;
  std::memcpy(&w, address.bytes().data() + offset, sizeof w);
  return w;
}

// Odd constants with about half their bits set (wyhash's secrets and the golden ratio);
// xored into the factors so that no natural input (zero, an IPv4 address) zeroes one.
inline constexpr uint64_t kSalt[8] = {
    0xa0761d6478bd642full, 0xe7037ed1a0b428dbull, 0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull,
    0x1d8e4e27c47d124full, 0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull, 0x94d049bb133111ebull,
};

}  // namespace fingerprint_detail

// A 64-bit fingerprint of the conversation key (firewall, direction, src_ip,
// dst_ip, dst_port, protocol, action), never 0. firewall_hash is any 64-bit hash
// of the firewall name. Three independent multiplies fold the six key words
// into three, and a fourth mixes those, so the latency is two multiplies.
inline uint64_t conversation_fingerprint(uint64_t firewall_hash, const Event& e) {
  using fingerprint_detail::fold_multiply, fingerprint_detail::kSalt, fingerprint_detail::word;
  const uint64_t key = (uint64_t{e.dst_port} << 24) | (uint64_t{e.protocol} << 16) |
                       (uint64_t{static_cast<uint8_t>(e.direction)} << 8) | static_cast<uint8_t>(e.action);
  const uint64_t src = fold_multiply(word(e.src_ip, 0) ^ kSalt[0], word(e.src_ip, 8) ^ kSalt[1]);
  const uint64_t dst = fold_multiply(word(e.dst_ip, 0) ^ kSalt[2], word(e.dst_ip, 8) ^ kSalt[3]);
  const uint64_t rest = fold_multiply(firewall_hash ^ kSalt[4], key ^ kSalt[5]);
  const uint64_t h = fold_multiply(src ^ rest ^ kSalt[6], dst ^ kSalt[7]);
  return h == 0 ? 1 : h;
}

}  // namespace flowd
