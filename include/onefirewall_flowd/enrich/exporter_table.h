#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/interface_table.h"
#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/enrich/ipv4_range_set.h"
#include "onefirewall_flowd/enrich/prefix_trie.h"

namespace flowd {

// An exporter policy prepared for lookups on the hot path.
struct CompiledPolicy {
  explicit CompiledPolicy(ExporterPolicy p);

  [[nodiscard]] bool is_internal(const IpAddress& a) const {
    return a.is_v4() ? internal_v4.contains(a.v4()) : internal_v6.contains(a);
  }
  // Whether the interface is outside: its index is listed, or its name as
  // the exporter announced it in `names` (may be nullptr).
  [[nodiscard]] bool is_outside(uint32_t interface, const InterfaceTable* names) const;
  [[nodiscard]] bool maps_interfaces() const {
    return !policy.outside_interfaces.empty() || !policy.outside_interface_names.empty();
  }

  ExporterPolicy policy;
  Ipv4RangeSet internal_v4;
  PrefixTrie<bool> internal_v6;
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
  // Valid until the next call.
  [[nodiscard]] const ExporterProfile* find(const IpAddress& exporter, uint32_t domain);

  // Unlisted exporters' profiles held; spoofed sources make them, so a full
  // cache is emptied rather than kept.
  static constexpr size_t kMaxUnlistedCached = 4096;
  [[nodiscard]] size_t unlisted_cached() const { return unlisted_.size(); }

 private:
  struct Entry {
    std::optional<uint32_t> domain;
    ExporterProfile profile;
  };
  [[nodiscard]] const ExporterProfile* find_listed(const IpAddress& exporter, uint32_t domain) const;

  PrefixTrie<Entry> listed_;
  bool accept_unknown_;
  std::shared_ptr<const CompiledPolicy> defaults_;
  std::map<IpAddress, ExporterProfile> unlisted_;
};

}  // namespace flowd
