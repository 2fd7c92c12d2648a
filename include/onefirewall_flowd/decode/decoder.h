#pragma once

#include <vector>

#include "onefirewall_flowd/core/datagram.h"
#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/template_cache.h"

namespace flowd {

// Decodes datagrams of any supported version. One instance per receive
// worker: it holds per-exporter template state, so it is not shared.
class Decoder {
 public:
  explicit Decoder(DecodeStats& stats, const TemplateLimits& limits = {})
      : stats_(stats), templates_(stats, limits) {}

  // Appends the datagram's flows to out and counts the outcome. Never throws.
  void decode(const Datagram& datagram, std::vector<FlowRecord>& out);

  // Templates currently held, over all exporters and domains.
  [[nodiscard]] size_t templates_active() const { return templates_.template_count(); }
  // The interface names an (exporter, domain) announced, or nullptr.
  [[nodiscard]] const InterfaceTable* interfaces(const IpAddress& exporter, uint32_t domain) const {
    return templates_.interfaces(exporter, domain);
  }
  // The VRF names an (exporter, domain) announced, or nullptr.
  [[nodiscard]] const VrfTable* vrfs(const IpAddress& exporter, uint32_t domain) const {
    return templates_.vrfs(exporter, domain);
  }

  // templates.persist: the templates live at now, as bytes to keep in the
  // state directory, and their restoration at start (see template_store.h).
  [[nodiscard]] std::vector<uint8_t> save_templates(std::chrono::system_clock::time_point now) const;
  size_t load_templates(std::span<const uint8_t> saved, std::chrono::system_clock::time_point now);

  // Frees expired state now rather than at the next sweep (tests, and before a save).
  void sweep(std::chrono::system_clock::time_point now) { templates_.sweep(now); }
  // A reload's exporter list (see TemplateCache::set_admission).
  void set_admission(ExporterAdmission admission) { templates_.set_admission(std::move(admission)); }
  [[nodiscard]] const TemplateCache& cache() const { return templates_; }

 private:
  void track_v5_sequence(const Datagram& datagram);

  DecodeStats& stats_;
  TemplateCache templates_;
};

}  // namespace flowd
