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

struct TemplateLimits {
  size_t templates_per_domain = 1024;
  size_t domains_per_exporter = 256;
  size_t exporters = 4096;
  size_t samplers_per_domain = 256;
  std::chrono::seconds template_lifetime{30 * 60};  // templates.lifetime
  PendingLimits pending;
};

// Sampling rates an exporter announced in options data.
struct SamplingTable {
  uint32_t domain_interval = 0;               // announced without a sampler id
  std::map<uint64_t, uint32_t> by_sampler;    // sampler/selector id -> interval
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

  // Learns or redefines a template; false (counted) when the domain is full.
  bool put(DomainState& domain, uint16_t id, Template t);
  // The live template, or nullptr; an expired one is forgotten.
  const Template* find(DomainState& domain, uint16_t id, std::chrono::system_clock::time_point now);
  void withdraw(DomainState& domain, uint16_t id) { domain.templates.erase(id); }
  // IPFIX "withdraw all": every template, or every options template.
  void withdraw_all(DomainState& domain, bool options);

  [[nodiscard]] size_t template_count() const;
  [[nodiscard]] size_t exporter_count() const { return exporters_.size(); }
  [[nodiscard]] const TemplateLimits& limits() const { return limits_; }
  [[nodiscard]] size_t& pending_bytes() { return pending_bytes_; }

 private:
  // Frees one exporter idle for longer than the template lifetime, if any.
  bool evict_idle_exporter(std::chrono::system_clock::time_point now);

  DecodeStats& stats_;
  TemplateLimits limits_;
  std::map<IpAddress, ExporterState> exporters_;
  size_t pending_bytes_ = 0;
};

}  // namespace flowd
