#include "onefirewall_flowd/enrich/exporter_table.h"

#include <algorithm>

namespace flowd {

CompiledPolicy::CompiledPolicy(ExporterPolicy p)
    : policy(std::move(p)), internal_v4(policy.internal_networks) {
  for (const auto& network : policy.internal_networks) {
    if (!network.network.is_v4()) internal_v6.insert(network, true);
  }
  std::sort(policy.outside_interfaces.begin(), policy.outside_interfaces.end());
  std::sort(policy.outside_interface_names.begin(), policy.outside_interface_names.end());
}

bool CompiledPolicy::is_outside(uint32_t interface, const InterfaceTable* names) const {
  const auto& indexes = policy.outside_interfaces;
  if (std::binary_search(indexes.begin(), indexes.end(), interface)) return true;
  if (names == nullptr || policy.outside_interface_names.empty()) return false;
  const auto it = names->find(interface);
  if (it == names->end()) return false;
  const std::string_view name = it->second.name.view();
  const auto& wanted = policy.outside_interface_names;
  return std::binary_search(wanted.begin(), wanted.end(), name, std::less<>());
}

ExporterTable::ExporterTable(const Config& config)
    : accept_unknown_(config.accept_unknown_exporters),
      defaults_(std::make_shared<const CompiledPolicy>(config.exporter_defaults)) {
  for (size_t i = 0; i < config.exporters.size(); ++i) {
    const auto& e = config.exporters[i];
    listed_.insert(e.address, Entry{e.observation_domain,
                                    {e.name, std::make_shared<const CompiledPolicy>(e.policy),
                                     "exporters.list[" + std::to_string(i) + "]"}});
  }
}

const ExporterProfile* ExporterTable::find_listed(const IpAddress& exporter, uint32_t domain) const {
  const ExporterProfile* best = nullptr;
  listed_.for_each_match(exporter, [&](const std::vector<Entry>& entries) {
    const ExporterProfile* any_domain = nullptr;
    for (const auto& entry : entries) {
      if (entry.domain == domain) {
        best = &entry.profile;
        return;
      }
      if (!entry.domain && !any_domain) any_domain = &entry.profile;
    }
    if (any_domain) best = any_domain;
  });
  return best;
}

const ExporterProfile* ExporterTable::find(const IpAddress& exporter, uint32_t domain) {
  if (const auto* listed = find_listed(exporter, domain)) return listed;
  if (!accept_unknown_) return nullptr;
  if (auto it = unlisted_.find(exporter); it != unlisted_.end()) return &it->second;
  if (unlisted_.size() >= kMaxUnlistedCached) unlisted_.clear();
  return &unlisted_.emplace(exporter, ExporterProfile{exporter.to_string(), defaults_, "unlisted exporter"})
              .first->second;
}

}  // namespace flowd
