#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flowd {

enum class Dialect : uint8_t { kNetflowV9, kIpfix };

// A field length of 65535 announces a variable-length field (RFC 7011 7).
inline constexpr uint16_t kVariableLength = 65535;

// One field of a template: an IE id (E bit removed), its enterprise number
// (0 for IANA), and its length on the wire.
struct FieldSpec {
  uint16_t id = 0;
  uint16_t length = 0;
  uint32_t enterprise = 0;

  bool operator==(const FieldSpec&) const = default;
};

// A template or options template as learned from an exporter.
enum class FieldKind : uint8_t;
enum class SlotOp : uint8_t;  // slot_op.h

// Where a decoded field sits in a record of a template without
// variable-length fields, and the op that decodes it.
struct FieldSlot {
  uint16_t offset = 0;
  uint16_t length = 0;
  FieldKind kind{};
  SlotOp op{};        // kGeneric unless a fast op does exactly what apply_field does
  uint8_t rank = 0;   // what a ranked counter op offers its value with
  uint8_t rank2 = 0;  // the same for the second counter of a fused op
};

struct Template {
  std::vector<FieldSpec> fields;
  std::vector<FieldKind> kinds;  // one per field; v9 scope fields are kIgnored
  // Options templates: the first scope_field_count fields are scope fields.
  // v9 scope fields are scope types, not IEs, so they are never decoded.
  uint16_t scope_field_count = 0;
  bool options = false;
  Dialect dialect = Dialect::kIpfix;
  // Fixed lengths plus one byte per variable-length field: the fewest bytes
  // one record can take. Zero means records cannot be delimited.
  size_t min_record_length = 0;
  // Without variable-length fields every record has the same layout, so only
  // the fields that mean something are visited, at fixed offsets, each with
  // an op planned for its kind and width.
  bool fixed_layout = false;
  std::vector<FieldSlot> slots;
  // Whether records carry their own sampling (interval, sampler id, packet
  // interval/space, size/population); without, the domain's applies.
  bool announces_sampling = false;
  std::chrono::system_clock::time_point refreshed;

  bool same_layout(const Template& other) const {
    return fields == other.fields && scope_field_count == other.scope_field_count && options == other.options;
  }
};

[[nodiscard]] inline size_t min_record_length(const std::vector<FieldSpec>& fields) {
  size_t total = 0;
  for (const FieldSpec& f : fields) total += f.length == kVariableLength ? 1 : f.length;
  return total;
}

// A template with its derived parts (field kinds, minimum record length, slots).
[[nodiscard]] Template build_template(Dialect dialect, bool options, uint16_t scope_count,
                                      std::vector<FieldSpec> fields);

}  // namespace flowd
