#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace flowd {

// The firewall name's part of the conversation key (reduce), never 0. The
// enricher computes it once per exporter; reduce folds it into every key.
inline uint64_t firewall_hash(std::string_view firewall) {
  return std::hash<std::string_view>{}(firewall) | 1;
}

}  // namespace flowd
