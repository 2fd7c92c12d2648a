#include "onefirewall_flowd/decode/template.h"

#include "onefirewall_flowd/decode/field_kind.h"
#include "onefirewall_flowd/decode/slot_op.h"

namespace flowd {
namespace {

// Merges each pair of adjacent slots that one op can do, when their bytes
// touch: one dispatch per pair instead of two.
void fuse_slots(std::vector<FieldSlot>& slots) {
  size_t kept = 0;
  for (size_t i = 0; i < slots.size(); ++i, ++kept) {
    FieldSlot slot = slots[i];
    if (i + 1 < slots.size()) {
      const FieldSlot& next = slots[i + 1];
      const SlotOp fused = fuse_pair(slot.op, next.op);
      if (fused != SlotOp::kGeneric && next.offset == slot.offset + slot.length) {
        slot.op = fused;
        slot.length = static_cast<uint16_t>(slot.length + next.length);
        slot.rank2 = next.rank;
        ++i;
      }
    }
    slots[kept] = slot;
  }
  slots.resize(kept);
}

void plan_slots(Template& t) {
  // A record never exceeds a 16-bit set length, so neither may a slot offset.
  t.fixed_layout = t.min_record_length <= UINT16_MAX;
  size_t offset = 0;
  for (size_t i = 0; i < t.fields.size() && t.fixed_layout; ++i) {
    const uint16_t length = t.fields[i].length;
    if (length == kVariableLength) t.fixed_layout = false;
    if (t.kinds[i] != FieldKind::kIgnored && length > 0) {
      const SlotPlan plan = plan_slot(t.kinds[i], length);
      t.slots.push_back({static_cast<uint16_t>(offset), length, t.kinds[i], plan.op, plan.rank});
    }
    offset += length;
  }
  if (!t.fixed_layout) t.slots.clear();
  fuse_slots(t.slots);
}

// Options data alone teaches interface and VRF names; data templates skip them.
FieldKind kind_in(const FieldSpec& field, bool options) {
  const FieldKind kind = kind_of(field);
  const bool options_only = kind == FieldKind::kInterfaceName || kind == FieldKind::kInterfaceDescription ||
                            kind == FieldKind::kVrfName;
  return options_only && !options ? FieldKind::kIgnored : kind;
}

// v9 scope type 2 (Interface) carries the index that options fields such as
// interfaceName describe; the other scope types key nothing decoded.
FieldKind v9_scope_kind(const FieldSpec& field) {
  constexpr uint16_t kScopeInterface = 2;
  return field.id == kScopeInterface ? FieldKind::kInputInterface : FieldKind::kIgnored;
}

bool is_sampling_kind(FieldKind kind) {
  switch (kind) {
    case FieldKind::kSamplingInterval:
    case FieldKind::kSamplerId:
    case FieldKind::kPacketInterval:
    case FieldKind::kPacketSpace:
    case FieldKind::kSamplingSize:
    case FieldKind::kSamplingPopulation: return true;
    default: return false;
  }
}

}  // namespace

Template build_template(Dialect dialect, bool options, uint16_t scope_count, std::vector<FieldSpec> fields) {
  Template t;
  t.dialect = dialect;
  t.options = options;
  t.scope_field_count = scope_count;
  t.min_record_length = min_record_length(fields);
  t.kinds.reserve(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    // v9 scope fields carry scope types, not IEs.
    const bool v9_scope = dialect == Dialect::kNetflowV9 && i < scope_count;
    t.kinds.push_back(v9_scope ? v9_scope_kind(fields[i]) : kind_in(fields[i], options));
    t.announces_sampling = t.announces_sampling || is_sampling_kind(t.kinds.back());
  }
  t.fields = std::move(fields);
  plan_slots(t);
  return t;
}

}  // namespace flowd
