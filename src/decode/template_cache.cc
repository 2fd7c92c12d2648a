#include "onefirewall_flowd/decode/template_cache.h"

#include <iterator>

namespace flowd {

ExporterState* TemplateCache::exporter(const IpAddress& address, std::chrono::system_clock::time_point now) {
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
    ExporterState& idle = it->second;
    if (now - idle.last_seen <= limits_.template_lifetime) continue;
    idle.pending.clear(pending_bytes_, stats_);
    for (auto& [id, domain] : idle.domains) {
      for (auto t = domain.templates.begin(); t != domain.templates.end();) t = forget(idle, domain, t);
    }
    domains_total_ -= idle.domains.size();
    exporters_.erase(it);
    return true;
  }
  return false;
}

DomainState* TemplateCache::domain(ExporterState& exporter, uint32_t domain) {
  auto it = exporter.domains.find(domain);
  if (it != exporter.domains.end()) return &it->second;
  if (exporter.domains.size() >= limits_.domains_per_exporter || domains_total_ >= limits_.domains_total) {
    stats_.errors.add(DecodeError::kDomainCapExceeded);
    return nullptr;
  }
  ++domains_total_;
  return &exporter.domains.try_emplace(domain).first->second;
}

bool TemplateCache::has_room(const ExporterState& exporter, const DomainState& domain, const Template* old,
                             const Template& t) const {
  if (old == nullptr && (domain.templates.size() >= limits_.templates_per_domain ||
                         templates_total_ >= limits_.templates_total)) {
    return false;
  }
  const size_t freed = old == nullptr ? 0 : old->fields.size();
  return exporter.template_fields - freed + t.fields.size() <= limits_.template_fields_per_exporter &&
         fields_total_ - freed + t.fields.size() <= limits_.template_fields_total;
}

bool TemplateCache::put(ExporterState& exporter, DomainState& domain, uint16_t id, Template t) {
  auto it = domain.templates.find(id);
  const Template* old = it == domain.templates.end() ? nullptr : &it->second;
  if (!has_room(exporter, domain, old, t)) {
    stats_.errors.add(DecodeError::kTemplateCapExceeded);
    return false;
  }
  if (old != nullptr) forget(exporter, domain, it);
  exporter.template_fields += t.fields.size();
  fields_total_ += t.fields.size();
  ++templates_total_;
  domain.templates.emplace(id, std::move(t));
  stats_.templates_learned.add();
  return true;
}

bool TemplateCache::restore(const IpAddress& address, uint32_t domain_id, uint16_t id, Template t) {
  ExporterState* exporter_state = exporter(address, t.refreshed);
  if (exporter_state == nullptr) return false;
  DomainState* domain_state = domain(*exporter_state, domain_id);
  return domain_state != nullptr && put(*exporter_state, *domain_state, id, std::move(t));
}

TemplateCache::TemplateMap::iterator TemplateCache::forget(ExporterState& exporter, DomainState& domain,
                                                           TemplateMap::iterator it) {
  exporter.template_fields -= it->second.fields.size();
  fields_total_ -= it->second.fields.size();
  --templates_total_;
  return domain.templates.erase(it);
}

const Template* TemplateCache::held(const DomainState& domain, uint16_t id) const {
  const auto it = domain.templates.find(id);
  return it == domain.templates.end() ? nullptr : &it->second;
}

void TemplateCache::refresh(DomainState& domain, uint16_t id, std::chrono::system_clock::time_point now) {
  const auto it = domain.templates.find(id);
  if (it == domain.templates.end()) return;
  it->second.refreshed = now;
  stats_.templates_learned.add();
}

const Template* TemplateCache::find(ExporterState& exporter, DomainState& domain, uint16_t id,
                                    std::chrono::system_clock::time_point now) {
  auto it = domain.templates.find(id);
  if (it == domain.templates.end()) return nullptr;
  if (now - it->second.refreshed > limits_.template_lifetime) {
    forget(exporter, domain, it);
    return nullptr;
  }
  return &it->second;
}

void TemplateCache::withdraw(ExporterState& exporter, DomainState& domain, uint16_t id) {
  auto it = domain.templates.find(id);
  if (it != domain.templates.end()) forget(exporter, domain, it);
}

void TemplateCache::withdraw_all(ExporterState& exporter, DomainState& domain, bool options) {
  for (auto it = domain.templates.begin(); it != domain.templates.end();) {
    it = it->second.options == options ? forget(exporter, domain, it) : std::next(it);
  }
}

}  // namespace flowd
