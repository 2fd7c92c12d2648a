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

  // templates.persist: the templates held, as bytes to keep in the state
  // directory, and their restoration at start (see template_store.h).
  [[nodiscard]] std::vector<uint8_t> save_templates() const;
  size_t load_templates(std::span<const uint8_t> saved);

 private:
  void track_v5_sequence(const Datagram& datagram);

  DecodeStats& stats_;
  TemplateCache templates_;
};

}  // namespace flowd
