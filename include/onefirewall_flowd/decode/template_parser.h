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
  enum class Kind : uint8_t { kDefine, kWithdraw, kWithdrawAll };
  Kind kind = Kind::kDefine;
  uint16_t id = 0;
  Template definition;
};

// Parses the body of a template set (v9 id 0, IPFIX id 2) or options template
// set (v9 id 1, IPFIX id 3) into out. Zero padding at the end is skipped. The
// walk stops at the first malformed record and returns its error; the records
// before it are kept.
[[nodiscard]] DecodeError parse_template_set(ByteReader set, Dialect dialect, bool options,
                                             std::vector<TemplateRecord>& out);

}  // namespace flowd
