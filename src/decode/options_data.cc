#include "onefirewall_flowd/decode/options_data.h"

namespace flowd {
namespace {

void learn_sampling(const RecordFields& f, DomainState& domain, size_t max_samplers) {
  const std::optional<uint32_t> interval = announced_interval(f);
  if (!interval) return;
  if (!f.sampler_id) {
    domain.sampling.domain_interval = *interval;
    return;
  }
  auto& table = domain.sampling.by_sampler;
  if (table.size() < max_samplers || table.contains(*f.sampler_id)) table[*f.sampler_id] = *interval;
}

void learn_interface(const RecordFields& f, const OptionsTarget& target) {
  if (f.interface_name.empty() && f.interface_description.empty()) return;
  const uint32_t index = f.flow.input_interface != 0 ? f.flow.input_interface : f.flow.output_interface;
  if (index == 0) return;
  InterfaceLabel label;
  const auto known = target.domain.interfaces.find(index);
  if (known != target.domain.interfaces.end()) label = known->second;  // a record may carry one of the two
  if (!f.interface_name.empty()) label.name.assign(f.interface_name);
  if (!f.interface_description.empty()) label.description.assign(f.interface_description);
  target.cache.learn_interface(target.exporter, target.domain, index, label);
}

// A VRF id of 0 is no VRF, as interface index 0 is no interface.
void learn_vrf(const RecordFields& f, const OptionsTarget& target) {
  if (f.vrf_name.empty()) return;
  const uint32_t id = f.flow.ingress_vrf != 0 ? f.flow.ingress_vrf : f.flow.egress_vrf;
  if (id == 0) return;
  ShortText name;
  name.assign(f.vrf_name);
  target.cache.learn_vrf(target.exporter, target.domain, id, name);
}

}  // namespace

void learn_options(const RecordFields& f, const OptionsTarget& target) {
  if (f.system_init_ms) target.domain.system_init_ms = f.system_init_ms;
  learn_sampling(f, target.domain, target.cache.limits().samplers_per_domain);
  learn_interface(f, target);
  learn_vrf(f, target);
}

}  // namespace flowd
