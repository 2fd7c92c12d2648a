#pragma once

#include <cstdint>
#include <vector>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// A binary trie of address prefixes, one root per family so that an IPv6
// prefix never matches an IPv4 address. Lookups walk at most one node per
// address bit, whatever the number of prefixes stored.
template <typename Value>
class PrefixTrie {
 public:
  PrefixTrie() : nodes_(2) {}

  void insert(const Cidr& prefix, Value value) {
    const unsigned first = first_bit(prefix.network);
    uint32_t node = root(prefix.network);
    for (unsigned i = first; i < first + prefix.length; ++i) {
      const unsigned bit = bit_at(prefix.network, i);
      if (nodes_[node].child[bit] == 0) {
        nodes_[node].child[bit] = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
      }
      node = nodes_[node].child[bit];
    }
    nodes_[node].values.push_back(std::move(value));
  }

  // Calls visit(values) for every stored prefix that contains address, from
  // the shortest to the longest.
  template <typename Visit>
  void for_each_match(const IpAddress& address, Visit&& visit) const {
    uint32_t node = root(address);
    for (unsigned i = first_bit(address);; ++i) {
      if (!nodes_[node].values.empty()) visit(nodes_[node].values);
      if (i == 128) return;
      node = nodes_[node].child[bit_at(address, i)];
      if (node == 0) return;
    }
  }

  [[nodiscard]] bool contains(const IpAddress& address) const {
    bool found = false;
    for_each_match(address, [&](const std::vector<Value>&) { found = true; });
    return found;
  }

  [[nodiscard]] bool empty() const {
    return nodes_.size() == 2 && nodes_[0].values.empty() && nodes_[1].values.empty();
  }

 private:
  struct Node {
    uint32_t child[2] = {0, 0};  // 0 = none; a root is never a child
    std::vector<Value> values;
  };

  static uint32_t root(const IpAddress& a) { return a.is_v4() ? 0 : 1; }
  static unsigned first_bit(const IpAddress& a) { return a.is_v4() ? 96 : 0; }
  static unsigned bit_at(const IpAddress& a, unsigned i) { return (a.bytes()[i / 8] >> (7 - i % 8)) & 1u; }

  std::vector<Node> nodes_;
};

}  // namespace flowd
