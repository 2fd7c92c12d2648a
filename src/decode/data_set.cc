#include "onefirewall_flowd/decode/data_set.h"

#include "onefirewall_flowd/decode/record_fields.h"

namespace flowd {
namespace {

// RFC 7011 7: one length byte, or 255 then a 16-bit length.
bool read_length(ByteReader& r, uint16_t declared, size_t& length) {
  if (declared != kVariableLength) {
    length = declared;
    return true;
  }
  uint8_t short_length = 0;
  if (!r.read_u8(short_length)) return false;
  if (short_length < 255) {
    length = short_length;
    return true;
  }
  uint16_t long_length = 0;
  if (!r.read_u16(long_length)) return false;
  length = long_length;
  return true;
}

bool read_record(ByteReader& r, const Template& t, RecordFields& fields) {
  // v9 scope fields carry scope types, not IEs, so their values are skipped.
  const size_t first_ie = t.dialect == Dialect::kNetflowV9 ? t.scope_field_count : 0;
  for (size_t i = 0; i < t.fields.size(); ++i) {
    size_t length = 0;
    std::span<const uint8_t> value;
    if (!read_length(r, t.fields[i].length, length) || !r.read_view(length, value)) return false;
    if (i >= first_ie) apply_field(t.fields[i], value, fields);
  }
  return true;
}

}  // namespace

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
