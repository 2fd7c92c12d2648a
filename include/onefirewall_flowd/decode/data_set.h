#pragma once

#include <cstdint>
#include <vector>

#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/decode_stats.h"
#include "onefirewall_flowd/decode/message_context.h"
#include "onefirewall_flowd/decode/template.h"
#include "onefirewall_flowd/decode/template_cache.h"

namespace flowd {

// What options data records teach: the domain, under the cache's caps.
struct OptionsTarget {
  TemplateCache& cache;
  ExporterState& exporter;
  DomainState& domain;
};

// Decodes the records of one data set with its template. Flow records are
// appended to out; options records update the domain instead. Bytes fewer
// than one record at the end are padding. records counts every record read.
// Returns kZeroLengthTemplate when records cannot be delimited, kBadRecord
// when one overruns the set (the records before it are kept).
[[nodiscard]] DecodeError decode_data_set(ByteReader set, const Template& t, const MessageContext& context,
                                          const OptionsTarget& target, std::vector<FlowRecord>& out,
                                          uint32_t& records);

}  // namespace flowd
