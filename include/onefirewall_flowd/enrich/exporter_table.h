#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// What the enricher knows of one exporter: the firewall name and its policy.
struct ExporterProfile {
  std::string name;
  ExporterPolicy policy;
  std::string matched_by;  // "exporters.list[2]" or "unlisted exporter"
};

// Maps (exporter address, domain) to a profile, most specific prefix first;
// an entry that names the domain beats one that does not.
class ExporterTable {
 public:
  explicit ExporterTable(const Config& config);

  // nullptr when the exporter is unlisted and unknown exporters are refused.
  [[nodiscard]] const ExporterProfile* find(const IpAddress& exporter, uint32_t domain);

 private:
  struct Entry {
    Cidr address;
    std::optional<uint32_t> domain;
    ExporterProfile profile;
  };
  static constexpr size_t kMaxUnlistedCached = 4096;

  std::vector<Entry> entries_;  // sorted: longest prefix first, domain-specific first
  bool accept_unknown_;
  ExporterPolicy defaults_;
  std::map<IpAddress, ExporterProfile> unlisted_;
  ExporterProfile overflow_;  // reused when the unlisted cache is full
};

}  // namespace flowd
