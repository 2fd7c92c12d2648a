#pragma once

#include <cstdint>
#include <vector>

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/template.h"

namespace flowd {

// One record of a template set: a definition, a withdrawal of one id, or
// (IPFIX) a withdrawal of every template of the set's kind.
struct TemplateRecord {
  enum class Kind : uint8_t { kDefine, kRefresh, kWithdraw, kWithdrawAll };
  Kind kind = Kind::kDefine;
  uint16_t id = 0;  // kWithdrawAll: the set's own id, 2 (templates) or 3 (options templates)
  Template definition;
};

// What the parser asks of the templates already held, and where it hands
// each record as soon as it is read.
class TemplateSetVisitor {
 public:
  // The template held under `id`, if any. A record that repeats it exactly
  // comes back as kRefresh, with an empty definition: an exporter resends its
  // templates every few seconds, and a refresh should allocate nothing.
  [[nodiscard]] virtual const Template* held(uint16_t id) const = 0;
  virtual void on_record(TemplateRecord record) = 0;

 protected:
  ~TemplateSetVisitor() = default;
};

// Parses the body of a template set (v9 id 0, IPFIX id 2) or options template
// set (v9 id 1, IPFIX id 3). Zero padding at the end is skipped. The walk
// stops at the first malformed record and returns its error; the records
// before it have been handed over.
[[nodiscard]] DecodeError parse_template_set(ByteReader set, Dialect dialect, bool options,
                                             TemplateSetVisitor& visitor);

}  // namespace flowd
