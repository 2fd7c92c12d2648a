#include "onefirewall_flowd/decode/template_cache.h"

#include <iterator>

namespace flowd {

ExporterState* TemplateCache::exporter(const IpAddress& address,
                                       std::chrono::system_clock::time_point now) {
  auto it = exporters_.find(address);
  if (it == exporters_.end()) {
    if (exporters_.size() >= limits_.exporters && !evict_idle_exporter(now)) {
      stats_.errors.add(DecodeError::kExporterCapExceeded);
      return nullptr;
    }
    it = exporters_.try_emplace(address).first;
  }
  it->second.last_seen = now;
  return &it->second;
}

bool TemplateCache::evict_idle_exporter(std::chrono::system_clock::time_point now) {
  for (auto it = exporters_.begin(); it != exporters_.end(); ++it) {
    if (now - it->second.last_seen > limits_.template_lifetime) {
      it->second.pending.clear(pending_bytes_, stats_);
      exporters_.erase(it);
      return true;
    }
  }
  return false;
}

DomainState* TemplateCache::domain(ExporterState& exporter, uint32_t domain) {
  auto it = exporter.domains.find(domain);
  if (it != exporter.domains.end()) return &it->second;
  if (exporter.domains.size() >= limits_.domains_per_exporter) {
    stats_.errors.add(DecodeError::kDomainCapExceeded);
    return nullptr;
  }
  return &exporter.domains.try_emplace(domain).first->second;
}

bool TemplateCache::put(DomainState& domain, uint16_t id, Template t) {
  auto it = domain.templates.find(id);
  if (it != domain.templates.end()) {
    it->second = std::move(t);
    stats_.templates_learned.add();
    return true;
  }
  if (domain.templates.size() >= limits_.templates_per_domain) {
    stats_.errors.add(DecodeError::kTemplateCapExceeded);
    return false;
  }
  domain.templates.emplace(id, std::move(t));
  stats_.templates_learned.add();
  return true;
}

const Template* TemplateCache::find(DomainState& domain, uint16_t id,
                                    std::chrono::system_clock::time_point now) {
  auto it = domain.templates.find(id);
  if (it == domain.templates.end()) return nullptr;
  if (now - it->second.refreshed > limits_.template_lifetime) {
    domain.templates.erase(it);
    return nullptr;
  }
  return &it->second;
}

void TemplateCache::withdraw_all(DomainState& domain, bool options) {
  std::erase_if(domain.templates, [options](const auto& entry) { return entry.second.options == options; });
}

size_t TemplateCache::template_count() const {
  size_t count = 0;
  for (const auto& [address, exporter] : exporters_) {
    for (const auto& [id, domain] : exporter.domains) count += domain.templates.size();
  }
  return count;
}

}  // namespace flowd
