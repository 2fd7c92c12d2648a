#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/enrich/prefix_trie.h"

namespace flowd {

// An exporter policy prepared for lookups on the hot path.
struct CompiledPolicy {
  explicit CompiledPolicy(ExporterPolicy p);

  [[nodiscard]] bool is_internal(const IpAddress& a) const {
    return a.is_v4() ? in_internal_v4(a.v4()) : internal_v6.contains(a);
  }
  [[nodiscard]] bool is_outside(uint32_t interface) const;

  ExporterPolicy policy;
  PrefixTrie<bool> internal_v6;  // IPv4 networks are the ranges below

 private:
  // IPv4 internal networks merged into sorted, disjoint [first, last]
  // ranges: a binary search of a few cache lines instead of a walk of up to
  // 32 trie nodes, for the family nearly every flow has.
  [[nodiscard]] bool in_internal_v4(uint32_t address) const {
    if (internal_v4_.size() <= kScanRanges) {
      // Without early exits: which range holds an address is a coin toss to the branch predictor.
      bool inside = false;
      for (const auto& [first, last] : internal_v4_) inside |= address - first <= last - first;
      return inside;
    }
    return in_many_internal_v4(address);
  }
  [[nodiscard]] bool in_many_internal_v4(uint32_t address) const;

  static constexpr size_t kScanRanges = 8;  // a scan of this many beats a binary search

  std::vector<std::pair<uint32_t, uint32_t>> internal_v4_;
};

// What the enricher knows of one exporter: the firewall name and its policy.
struct ExporterProfile {
  std::string name;
  std::shared_ptr<const CompiledPolicy> policy;
  std::string matched_by;  // "exporters.list[2]" or "unlisted exporter"
};

// Maps (exporter address, domain) to a profile: the longest matching prefix
// wins, and at equal length an entry that names the domain beats one that
// does not.
class ExporterTable {
 public:
  explicit ExporterTable(const Config& config);

  // nullptr when the exporter is unlisted and unknown exporters are refused.
  [[nodiscard]] const ExporterProfile* find(const IpAddress& exporter, uint32_t domain);

 private:
  struct Entry {
    std::optional<uint32_t> domain;
    ExporterProfile profile;
  };
  static constexpr size_t kMaxUnlistedCached = 4096;

  [[nodiscard]] const ExporterProfile* find_listed(const IpAddress& exporter, uint32_t domain) const;

  PrefixTrie<Entry> listed_;
  bool accept_unknown_;
  std::shared_ptr<const CompiledPolicy> defaults_;
  std::map<IpAddress, ExporterProfile> unlisted_;
  ExporterProfile overflow_;  // reused when the unlisted cache is full
};

}  // namespace flowd
