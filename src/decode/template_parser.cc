#include "onefirewall_flowd/decode/template_parser.h"

namespace flowd {
namespace {

constexpr uint16_t kFirstDataSetId = 256;
constexpr uint16_t kIpfixTemplateSetId = 2;
constexpr uint16_t kIpfixOptionsSetId = 3;

bool read_field(ByteReader& r, Dialect dialect, FieldSpec& f) {
  if (!r.read_u16(f.id) || !r.read_u16(f.length)) return false;
  if (dialect == Dialect::kIpfix && (f.id & 0x8000) != 0) {
    f.id &= 0x7fff;
    if (!r.read_u32(f.enterprise)) return false;
  }
  return true;
}

// Reads count field specifiers; the caller has checked that count * 4 bytes
// are there, so a huge count cannot size the allocation.
bool read_fields(ByteReader& r, Dialect dialect, uint16_t count, std::vector<FieldSpec>& fields) {
  fields.reserve(count);
  for (uint16_t i = 0; i < count; ++i) {
    FieldSpec f;
    if (!read_field(r, dialect, f)) return false;
    fields.push_back(f);
  }
  return true;
}

// The shape of one template record, as its header gives it.
struct RecordShape {
  Dialect dialect;
  bool options;
  uint16_t count;
  uint16_t scope_count;
};

// True when the field specifiers at r repeat `held` exactly; r then moves past them.
bool repeats(ByteReader& r, const RecordShape& shape, const Template* held) {
  if (held == nullptr || held->dialect != shape.dialect || held->options != shape.options ||
      held->scope_field_count != shape.scope_count || held->fields.size() != shape.count) {
    return false;
  }
  ByteReader ahead = r;
  for (const FieldSpec& want : held->fields) {
    FieldSpec f;
    if (!read_field(ahead, shape.dialect, f) || f != want) return false;
  }
  r = ahead;
  return true;
}

// Hands over one defined record: a refresh when it repeats the held template.
bool define(ByteReader& r, uint16_t id, const RecordShape& shape, TemplateSetVisitor& visitor) {
  if (repeats(r, shape, visitor.held(id))) {
    visitor.on_record({TemplateRecord::Kind::kRefresh, id, {}});
    return true;
  }
  std::vector<FieldSpec> fields;
  if (!read_fields(r, shape.dialect, shape.count, fields)) return false;
  visitor.on_record({TemplateRecord::Kind::kDefine, id,
                     build_template(shape.dialect, shape.options, shape.scope_count, std::move(fields))});
  return true;
}

// IPFIX template and options template records (RFC 7011 3.4.1, 3.4.2).
DecodeError parse_ipfix(ByteReader& r, bool options, TemplateSetVisitor& visitor) {
  const DecodeError bad = options ? DecodeError::kBadOptionsTemplate : DecodeError::kBadTemplate;
  while (r.remaining() >= 4) {
    uint16_t id = 0, count = 0, scope_count = 0;
    if (!r.read_u16(id) || !r.read_u16(count)) return bad;
    if (id == 0 && count == 0) return DecodeError::kNone;  // zero padding
    const uint16_t set_id = options ? kIpfixOptionsSetId : kIpfixTemplateSetId;
    if (count == 0 && id == set_id) {
      visitor.on_record({TemplateRecord::Kind::kWithdrawAll, id, {}});
      continue;
    }
    if (id < kFirstDataSetId) return bad;
    if (count == 0) {
      visitor.on_record({TemplateRecord::Kind::kWithdraw, id, {}});
      continue;
    }
    if (options && (!r.read_u16(scope_count) || scope_count == 0 || scope_count > count)) return bad;
    if (size_t{count} * 4 > r.remaining()) return bad;
    if (!define(r, id, {Dialect::kIpfix, options, count, scope_count}, visitor)) return bad;
  }
  return DecodeError::kNone;
}

// v9 template records (RFC 3954 5.2).
DecodeError parse_v9_templates(ByteReader& r, TemplateSetVisitor& visitor) {
  while (r.remaining() >= 4) {
    uint16_t id = 0, count = 0;
    if (!r.read_u16(id) || !r.read_u16(count)) return DecodeError::kBadTemplate;
    if (id == 0 && count == 0) return DecodeError::kNone;  // zero padding
    if (id < kFirstDataSetId || count == 0) return DecodeError::kBadTemplate;
    if (size_t{count} * 4 > r.remaining()) return DecodeError::kBadTemplate;
    if (!define(r, id, {Dialect::kNetflowV9, false, count, 0}, visitor)) return DecodeError::kBadTemplate;
  }
  return DecodeError::kNone;
}

// v9 options template records (RFC 3954 6.1): lengths are in bytes.
DecodeError parse_v9_options(ByteReader& r, TemplateSetVisitor& visitor) {
  while (r.remaining() >= 6) {
    uint16_t id = 0, scope_bytes = 0, option_bytes = 0;
    if (!r.read_u16(id) || !r.read_u16(scope_bytes) || !r.read_u16(option_bytes)) {
      return DecodeError::kBadOptionsTemplate;
    }
    if (id == 0 && scope_bytes == 0 && option_bytes == 0) return DecodeError::kNone;  // padding
    if (id < kFirstDataSetId || scope_bytes % 4 != 0 || option_bytes % 4 != 0 ||
        scope_bytes + option_bytes == 0 || size_t{scope_bytes} + option_bytes > r.remaining()) {
      return DecodeError::kBadOptionsTemplate;
    }
    const auto count = static_cast<uint16_t>((scope_bytes + option_bytes) / 4);
    const RecordShape shape{Dialect::kNetflowV9, true, count, static_cast<uint16_t>(scope_bytes / 4)};
    if (!define(r, id, shape, visitor)) return DecodeError::kBadOptionsTemplate;
  }
  return DecodeError::kNone;
}

}  // namespace

DecodeError parse_template_set(ByteReader set, Dialect dialect, bool options, TemplateSetVisitor& visitor) {
  if (dialect == Dialect::kIpfix) return parse_ipfix(set, options, visitor);
  return options ? parse_v9_options(set, visitor) : parse_v9_templates(set, visitor);
}

}  // namespace flowd
