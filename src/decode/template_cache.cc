#include "onefirewall_flowd/decode/template_cache.h"

#include <iterator>

namespace flowd {
namespace {

constexpr std::chrono::seconds kSweepInterval{5};

}  // namespace

ExporterState* TemplateCache::exporter(const IpAddress& address, std::chrono::system_clock::time_point now,
                                       StateNeed need) {
  auto it = exporters_.find(address);
  if (it == exporters_.end()) return admit(address, now, need);
  ExporterState& state = it->second;
  state.last_seen = now;
  std::list<IpAddress>& recency = state.listed ? listed_recency_ : unlisted_recency_;
  recency.splice(recency.begin(), recency, state.recency);
  return &state;
}

ExporterState* TemplateCache::admit(const IpAddress& address, std::chrono::system_clock::time_point now,
                                    StateNeed need) {
  const ExporterAdmission& admission = limits_.admission;
  const bool listed = admission.listed && admission.listed(address);
  const bool required = need == StateNeed::kRequired;
  if (!listed && !admission.accept_unknown) {
    if (required) stats_.errors.add(DecodeError::kUnlistedExporter);
    return nullptr;
  }
  if (exporters_.size() >= limits_.exporters && (!required || !make_room_for_exporter(listed, now))) {
    if (required) stats_.errors.add(DecodeError::kExporterCapExceeded);
    return nullptr;
  }
  ExporterState& state = exporters_.try_emplace(address, listed).first->second;
  std::list<IpAddress>& recency = listed ? listed_recency_ : unlisted_recency_;
  recency.push_front(address);
  state.recency = recency.begin();
  state.last_seen = now;
  return &state;
}

// The least recently seen unlisted exporter goes first; a listed one only
// when it has been silent for a template lifetime.
bool TemplateCache::make_room_for_exporter(bool listed, std::chrono::system_clock::time_point now) {
  if (!unlisted_recency_.empty()) {
    evict(exporters_.find(unlisted_recency_.back()));
    return true;
  }
  if (!listed || listed_recency_.empty()) return false;
  auto oldest = exporters_.find(listed_recency_.back());
  if (!outlived(oldest->second.last_seen, now, limits_.template_lifetime)) return false;
  evict(oldest);
  return true;
}

void TemplateCache::set_admission(ExporterAdmission admission) {
  limits_.admission = std::move(admission);
  const ExporterAdmission& now = limits_.admission;
  for (auto it = exporters_.begin(); it != exporters_.end();) {
    const bool listed = now.listed && now.listed(it->first);
    const auto next = std::next(it);
    if (listed != it->second.listed || (!listed && !now.accept_unknown)) evict(it);
    it = next;
  }
}

bool TemplateCache::evict_unlisted_other_than(const ExporterState& keep) {
  if (unlisted_recency_.empty()) return false;
  auto oldest = exporters_.find(unlisted_recency_.back());
  if (&oldest->second == &keep) return false;
  evict(oldest);
  return true;
}

void TemplateCache::evict(ExporterMap::iterator it) {
  ExporterState& gone = it->second;
  gone.pending.clear(pending_budget_, stats_);
  for (auto& [id, domain] : gone.domains) forget_domain(gone, domain);
  domains_total_ -= gone.domains.size();
  (gone.listed ? listed_recency_ : unlisted_recency_).erase(gone.recency);
  exporters_.erase(it);
}

DomainState* TemplateCache::domain(ExporterState& exporter, uint32_t domain,
                                   std::chrono::system_clock::time_point now) {
  auto it = exporter.domains.find(domain);
  if (it != exporter.domains.end()) {
    it->second.last_seen = now;
    return &it->second;
  }
  bool room = exporter.domains.size() < limits_.domains_per_exporter;
  while (room && domains_total_ >= limits_.domains_total) room = evict_unlisted_other_than(exporter);
  if (!room) {
    stats_.errors.add(DecodeError::kDomainCapExceeded);
    return nullptr;
  }
  ++domains_total_;
  DomainState& state = exporter.domains.try_emplace(domain).first->second;
  state.last_seen = now;
  return &state;
}

bool TemplateCache::globals_have_room(size_t more_templates, size_t more_fields) const {
  return templates_total_ + more_templates <= limits_.templates_total &&
         fields_total_ + more_fields <= limits_.template_fields_total;
}

bool TemplateCache::has_room(ExporterState& exporter, const DomainState& domain, const Template* old,
                             const Template& t) {
  if (old == nullptr && domain.templates.size() >= limits_.templates_per_domain) return false;
  const size_t freed = old == nullptr ? 0 : old->fields.size();
  if (exporter.template_fields - freed + t.fields.size() > limits_.template_fields_per_exporter) return false;
  const size_t more_templates = old == nullptr ? 1 : 0;
  const size_t more_fields = t.fields.size() > freed ? t.fields.size() - freed : 0;
  while (!globals_have_room(more_templates, more_fields)) {
    if (!evict_unlisted_other_than(exporter)) return false;
  }
  return true;
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

bool TemplateCache::restore(const IpAddress& address, uint32_t domain_id, uint16_t id, Template t,
                            std::chrono::system_clock::time_point now) {
  if (expired(t, now)) return false;
  ExporterState* exporter_state = exporter(address, now);
  if (exporter_state == nullptr) return false;
  DomainState* domain_state = domain(*exporter_state, domain_id, now);
  return domain_state != nullptr && put(*exporter_state, *domain_state, id, std::move(t));
}

TemplateCache::TemplateMap::iterator TemplateCache::forget(ExporterState& exporter, DomainState& domain,
                                                           TemplateMap::iterator it) {
  exporter.template_fields -= it->second.fields.size();
  fields_total_ -= it->second.fields.size();
  --templates_total_;
  return domain.templates.erase(it);
}

void TemplateCache::forget_domain(ExporterState& exporter, DomainState& domain) {
  interfaces_total_ -= domain.interfaces.size();
  domain.interfaces.clear();
  vrfs_total_ -= domain.vrfs.size();
  domain.vrfs.clear();
  for (auto t = domain.templates.begin(); t != domain.templates.end();) t = forget(exporter, domain, t);
}

template <typename Table>
bool TemplateCache::learn_name(ExporterState& exporter, Table& table, uint32_t key,
                               const typename Table::mapped_type& value, size_t per_domain, size_t& total,
                               size_t total_cap, DecodeError cap_error) {
  if (auto it = table.find(key); it != table.end()) {
    it->second = value;
    return true;
  }
  if (!room_for_name(exporter, table.size(), per_domain, total, total_cap)) {
    stats_.errors.add(cap_error);
    return false;
  }
  ++total;
  table.emplace(key, value);
  return true;
}

bool TemplateCache::learn_interface(ExporterState& exporter, DomainState& domain, uint32_t index,
                                    const InterfaceLabel& label) {
  return learn_name(exporter, domain.interfaces, index, label, limits_.interfaces_per_domain,
                    interfaces_total_, limits_.interfaces_total, DecodeError::kInterfaceCapExceeded);
}

bool TemplateCache::learn_vrf(ExporterState& exporter, DomainState& domain, uint32_t id,
                              const ShortText& name) {
  return learn_name(exporter, domain.vrfs, id, name, limits_.vrfs_per_domain, vrfs_total_, limits_.vrfs_total,
                    DecodeError::kVrfCapExceeded);
}

// total is read again after each eviction, which lowers it.
bool TemplateCache::room_for_name(ExporterState& exporter, size_t size, size_t per_domain,
                                  const size_t& total, size_t total_cap) {
  bool room = size < per_domain;
  while (room && total >= total_cap) room = evict_unlisted_other_than(exporter);
  return room;
}

const DomainState* TemplateCache::find_domain(const IpAddress& address, uint32_t domain) const {
  const auto exporter = exporters_.find(address);
  if (exporter == exporters_.end()) return nullptr;
  const auto it = exporter->second.domains.find(domain);
  return it == exporter->second.domains.end() ? nullptr : &it->second;
}

const InterfaceTable* TemplateCache::interfaces(const IpAddress& address, uint32_t domain) const {
  const DomainState* state = find_domain(address, domain);
  return state == nullptr ? nullptr : &state->interfaces;
}

const VrfTable* TemplateCache::vrfs(const IpAddress& address, uint32_t domain) const {
  const DomainState* state = find_domain(address, domain);
  return state == nullptr ? nullptr : &state->vrfs;
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
  if (expired(it->second, now)) {
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

void TemplateCache::sweep_if_due(std::chrono::system_clock::time_point now) {
  // A clock stepped back also sweeps, so the sweep never stops for long.
  if (now < last_sweep_ || now - last_sweep_ >= kSweepInterval) sweep(now);
}

void TemplateCache::sweep(std::chrono::system_clock::time_point now) {
  last_sweep_ = now;
  evict_idle(unlisted_recency_, now);
  evict_idle(listed_recency_, now);
  for (auto& [address, exporter] : exporters_) sweep_exporter(exporter, now);
}

// Recency lists run most recent first, so the idle ones are at the back.
void TemplateCache::evict_idle(std::list<IpAddress>& recency, std::chrono::system_clock::time_point now) {
  while (!recency.empty()) {
    auto oldest = exporters_.find(recency.back());
    if (!outlived(oldest->second.last_seen, now, limits_.template_lifetime)) return;
    oldest->second.pending.expire(now, limits_.pending, pending_budget_, stats_);
    evict(oldest);
  }
}

// A domain silent for a template lifetime has no live template left.
void TemplateCache::sweep_exporter(ExporterState& exporter, std::chrono::system_clock::time_point now) {
  exporter.pending.expire(now, limits_.pending, pending_budget_, stats_);
  for (auto d = exporter.domains.begin(); d != exporter.domains.end();) {
    DomainState& domain = d->second;
    if (outlived(domain.last_seen, now, limits_.template_lifetime)) {
      forget_domain(exporter, domain);
      --domains_total_;
      d = exporter.domains.erase(d);
      continue;
    }
    for (auto t = domain.templates.begin(); t != domain.templates.end();) {
      t = expired(t->second, now) ? forget(exporter, domain, t) : std::next(t);
    }
    ++d;
  }
}

}  // namespace flowd
