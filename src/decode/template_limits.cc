#include <algorithm>

#include "onefirewall_flowd/decode/template_cache.h"

namespace flowd {
namespace {

constexpr size_t kAllocation = 16;  // the allocator's header and rounding, per allocation
constexpr size_t kTreeNode = 32;    // a std::map node's links and colour
// What an empty std::deque allocates in libstdc++: its map and first block.
constexpr size_t kEmptyDeque = 8 * sizeof(void*) + 512 + 2 * kAllocation;

constexpr size_t kExporterBytes = kTreeNode + sizeof(IpAddress) + sizeof(ExporterState) + kAllocation +
                                  2 * sizeof(void*) + sizeof(IpAddress) + kAllocation + kEmptyDeque;
constexpr size_t kDomainBytes = kTreeNode + sizeof(uint32_t) + sizeof(DomainState) + kAllocation;
constexpr size_t kInterfaceBytes = kTreeNode + sizeof(uint32_t) + sizeof(InterfaceLabel) + kAllocation;
constexpr size_t kVrfBytes = kTreeNode + sizeof(uint32_t) + sizeof(ShortText) + kAllocation;
constexpr size_t kSamplerBytes = kTreeNode + sizeof(uint64_t) + sizeof(uint32_t) + kAllocation;
// The node, its hash bucket and the three per-field vectors' allocations.
constexpr size_t kTemplateBytes =
    sizeof(void*) + sizeof(uint16_t) + sizeof(Template) + kAllocation + sizeof(void*) + 3 * kAllocation;
// Slots grow by push_back, so their capacity may reach twice the field count.
constexpr size_t kFieldBytes = sizeof(FieldSpec) + sizeof(FieldKind) + 2 * sizeof(FieldSlot);

size_t share(size_t total, size_t decoders) {
  return std::max<size_t>(total / decoders, 1);
}

}  // namespace

size_t TemplateLimits::memory_bound() const {
  return exporters * kExporterBytes + domains_total * (kDomainBytes + samplers_per_domain * kSamplerBytes) +
         templates_total * kTemplateBytes + template_fields_total * kFieldBytes + pending.bytes_total +
         interfaces_total * kInterfaceBytes + vrfs_total * kVrfBytes;
}

TemplateLimits TemplateLimits::divided(size_t decoders) const {
  TemplateLimits part = *this;
  if (decoders <= 1) return part;
  part.exporters = share(exporters, decoders);
  part.domains_total = share(domains_total, decoders);
  part.templates_total = share(templates_total, decoders);
  part.template_fields_total = share(template_fields_total, decoders);
  part.interfaces_total = share(interfaces_total, decoders);
  part.vrfs_total = share(vrfs_total, decoders);
  part.pending.bytes_total = share(pending.bytes_total, decoders);
  return part;
}

}  // namespace flowd
