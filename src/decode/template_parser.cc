#include "onefirewall_flowd/decode/template_parser.h"

namespace flowd {
namespace {

constexpr uint16_t kFirstDataSetId = 256;
constexpr uint16_t kIpfixTemplateSetId = 2;
constexpr uint16_t kIpfixOptionsSetId = 3;

// Reads count field specifiers; the caller has checked that count * 4 bytes
// are there, so a huge count cannot size the allocation.
bool read_fields(ByteReader& r, Dialect dialect, uint16_t count, std::vector<FieldSpec>& fields) {
  fields.reserve(count);
  for (uint16_t i = 0; i < count; ++i) {
    FieldSpec f;
    if (!r.read_u16(f.id) || !r.read_u16(f.length)) return false;
    if (dialect == Dialect::kIpfix && (f.id & 0x8000) != 0) {
      f.id &= 0x7fff;
      if (!r.read_u32(f.enterprise)) return false;
    }
    fields.push_back(f);
  }
  return true;
}

// IPFIX template and options template records (RFC 7011 3.4.1, 3.4.2).
DecodeError parse_ipfix(ByteReader& r, bool options, std::vector<TemplateRecord>& out) {
  const DecodeError bad = options ? DecodeError::kBadOptionsTemplate : DecodeError::kBadTemplate;
  while (r.remaining() >= 4) {
    uint16_t id = 0, count = 0, scope_count = 0;
    if (!r.read_u16(id) || !r.read_u16(count)) return bad;
    if (id == 0 && count == 0) return DecodeError::kNone;  // zero padding
    const uint16_t set_id = options ? kIpfixOptionsSetId : kIpfixTemplateSetId;
    if (count == 0 && id == set_id) {
      out.push_back({TemplateRecord::Kind::kWithdrawAll, id, {}});
      continue;
    }
    if (id < kFirstDataSetId) return bad;
    if (count == 0) {
      out.push_back({TemplateRecord::Kind::kWithdraw, id, {}});
      continue;
    }
    if (options && (!r.read_u16(scope_count) || scope_count == 0 || scope_count > count)) return bad;
    if (size_t{count} * 4 > r.remaining()) return bad;
    std::vector<FieldSpec> fields;
    if (!read_fields(r, Dialect::kIpfix, count, fields)) return bad;
    out.push_back({TemplateRecord::Kind::kDefine, id,
                   build_template(Dialect::kIpfix, options, scope_count, std::move(fields))});
  }
  return DecodeError::kNone;
}

// v9 template records (RFC 3954 5.2).
DecodeError parse_v9_templates(ByteReader& r, std::vector<TemplateRecord>& out) {
  while (r.remaining() >= 4) {
    uint16_t id = 0, count = 0;
    if (!r.read_u16(id) || !r.read_u16(count)) return DecodeError::kBadTemplate;
    if (id == 0 && count == 0) return DecodeError::kNone;  // zero padding
    if (id < kFirstDataSetId || count == 0) return DecodeError::kBadTemplate;
    if (size_t{count} * 4 > r.remaining()) return DecodeError::kBadTemplate;
    std::vector<FieldSpec> fields;
    if (!read_fields(r, Dialect::kNetflowV9, count, fields)) return DecodeError::kBadTemplate;
    out.push_back({TemplateRecord::Kind::kDefine, id,
                   build_template(Dialect::kNetflowV9, false, 0, std::move(fields))});
  }
  return DecodeError::kNone;
}

// v9 options template records (RFC 3954 6.1): lengths are in bytes.
DecodeError parse_v9_options(ByteReader& r, std::vector<TemplateRecord>& out) {
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
    std::vector<FieldSpec> fields;
    if (!read_fields(r, Dialect::kNetflowV9, count, fields)) return DecodeError::kBadOptionsTemplate;
    out.push_back({TemplateRecord::Kind::kDefine, id,
                   build_template(Dialect::kNetflowV9, true, static_cast<uint16_t>(scope_bytes / 4),
                                  std::move(fields))});
  }
  return DecodeError::kNone;
}

}  // namespace

DecodeError parse_template_set(ByteReader set, Dialect dialect, bool options,
                               std::vector<TemplateRecord>& out) {
  if (dialect == Dialect::kIpfix) return parse_ipfix(set, options, out);
  return options ? parse_v9_options(set, out) : parse_v9_templates(set, out);
}

}  // namespace flowd
