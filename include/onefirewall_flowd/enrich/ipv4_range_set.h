#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// A set of IPv4 networks for per-flow membership tests. The networks are
// merged into sorted, disjoint [first, last] ranges; a table by first octet
// answers in one load for every octet that lies wholly inside or wholly
// outside them, which is nearly every address a flow carries.
class Ipv4RangeSet {
 public:
  Ipv4RangeSet() = default;
  explicit Ipv4RangeSet(const std::vector<Cidr>& networks);  // IPv6 networks are skipped

  [[nodiscard]] bool contains(uint32_t address) const {
    const OctetState state = by_first_octet_[address >> 24];
    if (state != OctetState::kSplit) return state == OctetState::kInside;
    return contains_split(address);
  }

  [[nodiscard]] const std::vector<std::pair<uint32_t, uint32_t>>& ranges() const { return ranges_; }

 private:
  enum class OctetState : uint8_t { kOutside, kInside, kSplit };

  [[nodiscard]] bool contains_split(uint32_t address) const;

  static constexpr size_t kScanRanges = 8;  // a scan of this many beats a binary search

  std::vector<std::pair<uint32_t, uint32_t>> ranges_;
  std::array<OctetState, 256> by_first_octet_{};
};

}  // namespace flowd
