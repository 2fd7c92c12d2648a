#include "onefirewall_flowd/decode/template.h"

#include "onefirewall_flowd/decode/field_kind.h"

namespace flowd {

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
    t.kinds.push_back(v9_scope ? FieldKind::kIgnored : kind_of(fields[i]));
  }
  t.fields = std::move(fields);
  return t;
}

}  // namespace flowd
