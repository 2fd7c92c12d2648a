#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/pending_sets.h"
#include "onefirewall_flowd/decode/sequence_tracker.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {

// Caps on everything an exporter can make a decoder hold. Per-table caps
// keep one exporter from crowding out others; the totals bound the memory of
// the whole cache (roughly 100 MiB at these defaults, pending data included).
struct TemplateLimits {
  size_t exporters = 4096;
  size_t domains_per_exporter = 64;
  size_t domains_total = 16384;
  size_t templates_per_domain = 1024;
  size_t templates_total = 65536;
  size_t template_fields_per_exporter = size_t{64} * 1024;
  size_t template_fields_total = size_t{1024} * 1024;
  size_t samplers_per_domain = 32;
  std::chrono::seconds template_lifetime{30 * 60};  // templates.lifetime
  PendingLimits pending;
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
};

struct ExporterState {
  std::map<uint32_t, DomainState> domains;
  size_t template_fields = 0;  // over all its templates
  PendingSets pending;
  std::chrono::system_clock::time_point last_seen;
};

// Template state of one decoder, scoped by (exporter, domain, template id),
// with every table capped. State is created on first use; a cap that stops
// it is counted in the stats.
class TemplateCache {
 public:
  explicit TemplateCache(DecodeStats& stats, const TemplateLimits& limits = {})
      : stats_(stats), limits_(limits) {}

  // The exporter's state, or nullptr (counted) when the exporter cap is hit.
  ExporterState* exporter(const IpAddress& address, std::chrono::system_clock::time_point now);
  // The domain's state, or nullptr (counted) when the domain cap is hit.
  DomainState* domain(ExporterState& exporter, uint32_t domain);

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

  // Learns a template saved earlier (see template_store.h), under the caps.
  bool restore(const IpAddress& address, uint32_t domain_id, uint16_t id, Template t);
  // Calls visit(address, domain id, template id, template) for every template held.
  template <typename Visit>
  void for_each_template(Visit visit) const {
    for (const auto& [address, exporter] : exporters_) {
      for (const auto& [domain_id, domain] : exporter.domains) {
        for (const auto& [id, t] : domain.templates) visit(address, domain_id, id, t);
      }
    }
  }

  [[nodiscard]] size_t template_count() const { return templates_total_; }
  [[nodiscard]] size_t exporter_count() const { return exporters_.size(); }
  [[nodiscard]] const TemplateLimits& limits() const { return limits_; }
  [[nodiscard]] size_t& pending_bytes() { return pending_bytes_; }

 private:
  using TemplateMap = std::unordered_map<uint16_t, Template>;

  // Frees one exporter idle for longer than the template lifetime, if any.
  bool evict_idle_exporter(std::chrono::system_clock::time_point now);
  bool has_room(const ExporterState& exporter, const DomainState& domain, const Template* old,
                const Template& t) const;
  TemplateMap::iterator forget(ExporterState& exporter, DomainState& domain, TemplateMap::iterator it);

  DecodeStats& stats_;
  TemplateLimits limits_;
  std::map<IpAddress, ExporterState> exporters_;
  size_t domains_total_ = 0;
  size_t templates_total_ = 0;
  size_t fields_total_ = 0;
  size_t pending_bytes_ = 0;
};

}  // namespace flowd
