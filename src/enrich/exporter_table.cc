#include "onefirewall_flowd/enrich/exporter_table.h"

#include <algorithm>

namespace flowd {

ExporterTable::ExporterTable(const Config& config)
    : accept_unknown_(config.accept_unknown_exporters), defaults_(config.exporter_defaults) {
  for (size_t i = 0; i < config.exporters.size(); ++i) {
    const auto& e = config.exporters[i];
    entries_.push_back({e.address, e.observation_domain,
                        {e.name, e.policy, "exporters.list[" + std::to_string(i) + "]"}});
  }
  const auto specificity = [](const Entry& e) {
    return (e.address.network.is_v4() ? e.address.length + 96 : e.address.length) * 2 +
           (e.domain ? 1 : 0);
  };
  std::stable_sort(entries_.begin(), entries_.end(),
                   [&](const Entry& a, const Entry& b) { return specificity(a) > specificity(b); });
  overflow_.policy = defaults_;
  overflow_.matched_by = "unlisted exporter";
}

const ExporterProfile* ExporterTable::find(const IpAddress& exporter, uint32_t domain) {
  for (const auto& e : entries_) {
    if ((!e.domain || *e.domain == domain) && e.address.contains(exporter)) return &e.profile;
  }
  if (!accept_unknown_) return nullptr;
  if (auto it = unlisted_.find(exporter); it != unlisted_.end()) return &it->second;
  if (unlisted_.size() >= kMaxUnlistedCached) {
    overflow_.name = exporter.to_string();
    return &overflow_;
  }
  return &unlisted_.emplace(exporter, ExporterProfile{exporter.to_string(), defaults_, "unlisted exporter"})
              .first->second;
}

}  // namespace flowd
