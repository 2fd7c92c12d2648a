#pragma once

#include <cstdint>
#include <vector>

#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/message_context.h"
#include "onefirewall_flowd/decode/template_cache.h"
#include "onefirewall_flowd/decode/template_parser.h"

namespace flowd {

// Handles the sets of one v9 or IPFIX message for one (exporter, domain):
// learns templates, decodes data with them, holds data whose template has
// not come yet and decodes it when the template does. Errors are counted.
class SetProcessor : private TemplateSetVisitor {
 public:
  SetProcessor(TemplateCache& cache, DecodeStats& stats, ExporterState& exporter, DomainState& domain,
               const MessageContext& context, std::vector<FlowRecord>& out);

  void process(uint16_t set_id, ByteReader body);
  // Data records read from this message's sets (IPFIX sequence numbers count these).
  [[nodiscard]] uint32_t data_records() const { return data_records_; }
  // Whether a data set of this message waits for its template: its records are not in data_records().
  [[nodiscard]] bool held_data() const { return held_data_; }

 private:
  [[nodiscard]] const Template* held(uint16_t id) const override;
  void on_record(TemplateRecord record) override;
  void learn_templates(ByteReader body, bool options);
  void define(uint16_t id, Template t);
  void decode_data(uint16_t id, ByteReader body);
  void release_pending(uint16_t id);
  void count(DecodeError error);

  TemplateCache& cache_;
  DecodeStats& stats_;
  ExporterState& exporter_;
  DomainState& domain_;
  const MessageContext& context_;
  std::vector<FlowRecord>& out_;
  uint32_t data_records_ = 0;
  bool held_data_ = false;
};

}  // namespace flowd
