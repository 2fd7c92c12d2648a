#include "onefirewall_flowd/enrich/ipv4_range_set.h"

#include <algorithm>

namespace flowd {
namespace {

std::vector<std::pair<uint32_t, uint32_t>> merged_ranges(const std::vector<Cidr>& networks) {
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  for (const Cidr& c : networks) {
    if (!c.network.is_v4()) continue;
    const uint64_t size = uint64_t{1} << (32u - c.length);
    const auto first = static_cast<uint32_t>(c.network.v4() & ~(size - 1));
    ranges.emplace_back(first, static_cast<uint32_t>(first + (size - 1)));
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<uint32_t, uint32_t>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && uint64_t{r.first} <= uint64_t{merged.back().second} + 1) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

}  // namespace

Ipv4RangeSet::Ipv4RangeSet(const std::vector<Cidr>& networks) : ranges_(merged_ranges(networks)) {
  // The ranges are disjoint and not adjacent, so an octet is wholly inside
  // only when one range covers all of it.
  for (const auto& [first, last] : ranges_) {
    for (uint32_t octet = first >> 24; octet <= last >> 24; ++octet) {
      const uint32_t octet_first = octet << 24;
      const uint32_t octet_last = octet_first | 0x00ff'ffffu;
      const bool whole = first <= octet_first && octet_last <= last;
      by_first_octet_[octet] = whole ? OctetState::kInside : OctetState::kSplit;
    }
  }
}

bool Ipv4RangeSet::contains_split(uint32_t address) const {
  if (ranges_.size() <= kScanRanges) {
    // Without early exits: which range holds an address is a coin toss to the branch predictor.
    bool inside = false;
    for (const auto& [first, last] : ranges_) inside |= address - first <= last - first;
    return inside;
  }
  // The first range starting after the address; the one before it may hold it.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), address,
                             [](uint32_t a, const std::pair<uint32_t, uint32_t>& r) { return a < r.first; });
  return it != ranges_.begin() && address <= std::prev(it)->second;
}

}  // namespace flowd
