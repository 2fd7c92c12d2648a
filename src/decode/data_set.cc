#include "onefirewall_flowd/decode/data_set.h"

#include "onefirewall_flowd/decode/options_data.h"
#include "onefirewall_flowd/decode/record_fields.h"

namespace flowd {

DecodeError decode_data_set(ByteReader set, const Template& t, const MessageContext& context,
                            const OptionsTarget& target, std::vector<FlowRecord>& out, uint32_t& records) {
  if (t.min_record_length == 0) return DecodeError::kZeroLengthTemplate;
  // Every record consumes at least min_record_length bytes, so the loop is
  // bounded by the set's bytes whatever the header counts said.
  FlowRecord options_record;  // options records only teach the domain
  while (set.remaining() >= t.min_record_length) {
    FlowRecord& flow = t.options ? (options_record = FlowRecord{}) : out.emplace_back();
    RecordFields fields(flow);
    if (!read_record(set, t, fields)) {
      if (!t.options) out.pop_back();
      return DecodeError::kBadRecord;
    }
    ++records;
    if (t.options) {
      learn_options(fields, target);
    } else {
      finish_flow(fields, t, context, target.domain);
    }
  }
  return DecodeError::kNone;
}

}  // namespace flowd
