#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <unordered_map>

#include "onefirewall_flowd/core/interface_table.h"
#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/core/vrf_table.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/expiry.h"
#include "onefirewall_flowd/decode/exporter_admission.h"
#include "onefirewall_flowd/decode/pending_sets.h"
#include "onefirewall_flowd/decode/sequence_tracker.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {

// Caps on everything an exporter can make a decoder hold. Per-table caps
// keep one exporter from crowding out others; the totals bound the memory of
// the whole cache (memory_bound()). Unlisted exporters' state is evicted,
// least recently seen first, to make room; listed exporters' never is.
struct TemplateLimits {
  size_t exporters = 4096;
  size_t domains_per_exporter = 64;
  size_t domains_total = 16384;
  size_t templates_per_domain = 1024;
  size_t templates_total = 65536;
  size_t template_fields_per_exporter = size_t{64} * 1024;
  size_t template_fields_total = size_t{1024} * 1024;
  size_t samplers_per_domain = 32;
  size_t interfaces_per_domain = 1024;  // names learned from options data
  size_t interfaces_total = 16384;
  size_t vrfs_per_domain = 1024;  // VRF names learned from options data
  size_t vrfs_total = 8192;
  std::chrono::seconds template_lifetime{30 * 60};  // templates.lifetime
  PendingLimits pending;
  ExporterAdmission admission;

  // The most memory, in bytes, that a cache under these caps holds.
  [[nodiscard]] size_t memory_bound() const;
  // The caps of one of `decoders` decoders, so that the totals hold over all of them.
  [[nodiscard]] TemplateLimits divided(size_t decoders) const;
};

// Sampling rates an exporter announced in options data.
struct SamplingTable {
  uint32_t domain_interval = 0;             // announced without a sampler id
  std::map<uint64_t, uint32_t> by_sampler;  // sampler/selector id -> interval
};

// Everything known about one (exporter, domain).
struct DomainState {
  std::unordered_map<uint16_t, Template> templates;
  SequenceTracker sequence;
  SamplingTable sampling;
  std::optional<int64_t> system_init_ms;  // IPFIX IE 160 from options data
  InterfaceTable interfaces;              // IEs 82/83 from options data
  VrfTable vrfs;                          // IE 236 from options data
  std::chrono::system_clock::time_point last_seen;
};

struct ExporterState {
  explicit ExporterState(bool is_listed) : pending(is_listed), listed(is_listed) {}

  std::map<uint32_t, DomainState> domains;
  size_t template_fields = 0;  // over all its templates
  PendingSets pending;
  std::chrono::system_clock::time_point last_seen;
  bool listed = false;
  std::list<IpAddress>::iterator recency;  // its place in the listed or unlisted recency list
};

// How much a caller needs an exporter's state. v5 decodes without it (only
// its sequence is tracked), so it takes free room but never evicts anyone
// and a refusal is not counted: spoofed v5 cannot push v9/IPFIX state out.
enum class StateNeed : uint8_t { kRequired, kOptional };

// Template state of one decoder, scoped by (exporter, domain, template id),
// with every table capped. State is created on first use; a cap that stops
// it is counted in the stats. sweep() frees what has expired.
class TemplateCache {
 public:
  explicit TemplateCache(DecodeStats& stats, const TemplateLimits& limits = {})
      : stats_(stats), limits_(limits) {}

  // The exporter's state, or nullptr when it may have none: unlisted while
  // unknown exporters are refused, or no room (counted when required).
  ExporterState* exporter(const IpAddress& address, std::chrono::system_clock::time_point now,
                          StateNeed need = StateNeed::kRequired);
  // The domain's state, or nullptr (counted) when the domain cap is hit.
  DomainState* domain(ExporterState& exporter, uint32_t domain, std::chrono::system_clock::time_point now);

  // Learns or redefines a template; false (counted) when a cap is hit.
  bool put(ExporterState& exporter, DomainState& domain, uint16_t id, Template t);
  // The template held under id, live or not yet forgotten, or nullptr.
  [[nodiscard]] const Template* held(const DomainState& domain, uint16_t id) const;
  // An exporter resent the template held under id unchanged: it lives on
  // from `now`, counted as learned, and nothing is rebuilt.
  void refresh(DomainState& domain, uint16_t id, std::chrono::system_clock::time_point now);
  // The live template, or nullptr; an expired one is forgotten.
  const Template* find(ExporterState& exporter, DomainState& domain, uint16_t id,
                       std::chrono::system_clock::time_point now);
  void withdraw(ExporterState& exporter, DomainState& domain, uint16_t id);
  // IPFIX "withdraw all": every template, or every options template.
  void withdraw_all(ExporterState& exporter, DomainState& domain, bool options);

  // Names interface `index` of the domain; false (counted) when a cap is hit.
  bool learn_interface(ExporterState& exporter, DomainState& domain, uint32_t index,
                       const InterfaceLabel& label);
  // The interfaces an (exporter, domain) announced, or nullptr.
  [[nodiscard]] const InterfaceTable* interfaces(const IpAddress& address, uint32_t domain) const;
  // Names VRF `id` of the domain; false (counted) when a cap is hit.
  bool learn_vrf(ExporterState& exporter, DomainState& domain, uint32_t id, const ShortText& name);
  // The VRFs an (exporter, domain) announced, or nullptr.
  [[nodiscard]] const VrfTable* vrfs(const IpAddress& address, uint32_t domain) const;

  // A reload's exporter list: exporters now refused, or listed differently, lose their state.
  void set_admission(ExporterAdmission admission);

  // Frees expired templates, held data, idle domains and idle exporters,
  // at most once per sweep interval; cheap to call for every datagram.
  void sweep_if_due(std::chrono::system_clock::time_point now);
  void sweep(std::chrono::system_clock::time_point now);

  // Learns a template saved earlier (see template_store.h), under the caps;
  // one that has expired by `now` is not restored.
  bool restore(const IpAddress& address, uint32_t domain_id, uint16_t id, Template t,
               std::chrono::system_clock::time_point now);
  // Calls visit(address, domain id, template id, template) for every template still live at now.
  template <typename Visit>
  void for_each_template(std::chrono::system_clock::time_point now, Visit visit) const {
    for (const auto& [address, exporter] : exporters_) {
      for (const auto& [domain_id, domain] : exporter.domains) {
        for (const auto& [id, t] : domain.templates) {
          if (!expired(t, now)) visit(address, domain_id, id, t);
        }
      }
    }
  }

  [[nodiscard]] size_t template_count() const { return templates_total_; }
  [[nodiscard]] size_t domain_count() const { return domains_total_; }
  [[nodiscard]] size_t exporter_count() const { return exporters_.size(); }
  [[nodiscard]] size_t interface_count() const { return interfaces_total_; }
  [[nodiscard]] size_t vrf_count() const { return vrfs_total_; }
  [[nodiscard]] const TemplateLimits& limits() const { return limits_; }
  [[nodiscard]] PendingBudget& pending_budget() { return pending_budget_; }
  [[nodiscard]] size_t pending_bytes() const { return pending_budget_.bytes; }

 private:
  using ExporterMap = std::map<IpAddress, ExporterState>;
  using TemplateMap = std::unordered_map<uint16_t, Template>;

  [[nodiscard]] bool expired(const Template& t, std::chrono::system_clock::time_point now) const {
    return outlived(t.refreshed, now, limits_.template_lifetime);
  }
  ExporterState* admit(const IpAddress& address, std::chrono::system_clock::time_point now, StateNeed need);
  bool make_room_for_exporter(bool listed, std::chrono::system_clock::time_point now);
  // Frees the least recently seen unlisted exporter unless it is keep; false when there is none.
  bool evict_unlisted_other_than(const ExporterState& keep);
  void evict(ExporterMap::iterator it);
  void evict_idle(std::list<IpAddress>& recency, std::chrono::system_clock::time_point now);
  void sweep_exporter(ExporterState& exporter, std::chrono::system_clock::time_point now);
  [[nodiscard]] bool globals_have_room(size_t more_templates, size_t more_fields) const;
  bool has_room(ExporterState& exporter, const DomainState& domain, const Template* old, const Template& t);
  TemplateMap::iterator forget(ExporterState& exporter, DomainState& domain, TemplateMap::iterator it);
  void forget_domain(ExporterState& exporter, DomainState& domain);
  [[nodiscard]] const DomainState* find_domain(const IpAddress& address, uint32_t domain) const;
  // Names `key` in one of a domain's name tables, within its caps.
  template <typename Table>
  bool learn_name(ExporterState& exporter, Table& table, uint32_t key,
                  const typename Table::mapped_type& value, size_t per_domain, size_t& total,
                  size_t total_cap, DecodeError cap_error);
  // Room for one more entry in a table of `size` under these caps, evicting
  // unlisted exporters other than `exporter` to keep within the total.
  bool room_for_name(ExporterState& exporter, size_t size, size_t per_domain, const size_t& total,
                     size_t total_cap);

  DecodeStats& stats_;
  TemplateLimits limits_;
  ExporterMap exporters_;
  std::list<IpAddress> listed_recency_;  // most recently seen first
  std::list<IpAddress> unlisted_recency_;
  size_t domains_total_ = 0;
  size_t templates_total_ = 0;
  size_t fields_total_ = 0;
  size_t interfaces_total_ = 0;
  size_t vrfs_total_ = 0;
  PendingBudget pending_budget_;
  std::chrono::system_clock::time_point last_sweep_;
};

}  // namespace flowd
