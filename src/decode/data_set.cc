#include "onefirewall_flowd/decode/data_set.h"

#include "onefirewall_flowd/decode/record_fields.h"

namespace flowd {

DecodeError decode_data_set(ByteReader set, const Template& t, const MessageContext& context,
                            DomainState& domain, size_t max_samplers, std::vector<FlowRecord>& out,
                            uint32_t& records) {
  if (t.min_record_length == 0) return DecodeError::kZeroLengthTemplate;
  // Every record consumes at least min_record_length bytes, so the loop is
  // bounded by the set's bytes whatever the header counts said.
  while (set.remaining() >= t.min_record_length) {
    RecordFields fields;
    if (!read_record(set, t, fields)) return DecodeError::kBadRecord;
    ++records;
    if (t.options) {
      learn_options(fields, domain, max_samplers);
    } else {
      out.push_back(finish_flow(fields, context, domain));
    }
  }
  return DecodeError::kNone;
}

}  // namespace flowd
