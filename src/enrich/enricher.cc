#include "onefirewall_flowd/enrich/enricher.h"

#include <algorithm>

#include "onefirewall_flowd/enrich/orientation.h"

namespace flowd {
namespace {

// The flow as the connection it belongs to: initiator first.
struct Oriented {
  IpAddress src, dst;
  uint16_t src_port, dst_port;
  uint32_t in_if, out_if;
  bool turned;
};

Oriented orient(const FlowRecord& f) {
  if (is_reply(f.protocol, f.src_port, f.dst_port)) {
    return {f.dst_addr, f.src_addr, f.dst_port, f.src_port, f.output_interface, f.input_interface, true};
  }
  return {f.src_addr, f.dst_addr, f.src_port, f.dst_port, f.input_interface, f.output_interface, false};
}

// Interfaces decide when they are mapped and tell the two sides apart.
std::optional<Direction> direction_by_interfaces(const CompiledPolicy& p, const Oriented& o,
                                                 const InterfaceTable* names) {
  if (!p.maps_interfaces()) return std::nullopt;
  const bool in_outside = p.is_outside(o.in_if, names);
  const bool out_outside = p.is_outside(o.out_if, names);
  if (in_outside && !out_outside) return Direction::kInbound;
  if (!in_outside && out_outside) return Direction::kOutbound;
  return std::nullopt;
}

// With equal ports the ports cannot tell initiator from responder; the
// internal side is taken as the initiator so both halves give one record.
void orient_equal_ports(const CompiledPolicy& p, Oriented& o) {
  if (o.src_port != o.dst_port || p.is_internal(o.src) || !p.is_internal(o.dst)) return;
  std::swap(o.src, o.dst);
  std::swap(o.in_if, o.out_if);
  o.turned = !o.turned;
}

// The explanations are built out of line: kept inline, their string code
// tripled the size of the per-flow path that never runs them.
// "3", or "3 (outside)" with the label its exporter announced for it.
template <typename Table, typename Label>
std::string described(uint32_t key, const Table* names, Label label_of) {
  std::string text = std::to_string(key);
  if (names == nullptr) return text;
  const auto it = names->find(key);
  if (it == names->end()) return text;
  const std::string_view label = label_of(it->second);
  if (!label.empty()) text.append(" (").append(label).append(")");
  return text;
}

// An interface by its name, else its description.
std::string describe_interface(uint32_t index, const InterfaceTable* names) {
  return described(index, names, [](const InterfaceLabel& l) {
    return l.name.view().empty() ? l.description.view() : l.name.view();
  });
}

[[gnu::cold, gnu::noinline]] void explain_by_interfaces(const CompiledPolicy& p, const Oriented& o,
                                                        const InterfaceTable* names, Explanation& why) {
  const bool in_outside = p.is_outside(o.in_if, names);
  why.direction = "outside_interfaces: in " + describe_interface(o.in_if, names) +
                  (in_outside ? " is outside" : " is inside") + ", out " +
                  describe_interface(o.out_if, names) + (in_outside ? " is inside" : " is outside");
}

std::string describe_vrf(uint32_t id, const VrfTable* names) {
  return described(id, names, [](const ShortText& name) { return name.view(); });
}

[[gnu::cold, gnu::noinline]] void explain_by_networks(const Oriented& o, bool src_in, Explanation& why) {
  why.direction = std::string(src_in ? "source " : "destination ") + (src_in ? o.src : o.dst).to_string() +
                  " is in internal_networks";
}

[[gnu::cold, gnu::noinline]] void explain_orientation(const Oriented& o, Explanation& why) {
  why.orientation = o.turned ? "reply flow turned around (source port is the service)" : "as exported";
}

ScopeDrop decide_direction(const CompiledPolicy& p, const Oriented& o, const InterfaceTable* names,
                           Direction& out, Explanation* why) {
  if (auto d = direction_by_interfaces(p, o, names)) {
    out = *d;
    if (why) explain_by_interfaces(p, o, names, *why);
    return ScopeDrop::kNone;
  }
  const bool src_in = p.is_internal(o.src);
  const bool dst_in = p.is_internal(o.dst);
  if (src_in == dst_in) return src_in ? ScopeDrop::kInternalToInternal : ScopeDrop::kExternalToExternal;
  out = src_in ? Direction::kOutbound : Direction::kInbound;
  if (why) explain_by_networks(o, src_in, *why);
  return ScopeDrop::kNone;
}

// The rule that decided an action; its text is built only for --explain.
enum class ActionRule : uint8_t {
  kExtendedEvent,
  kFirewallEvent,
  kForwardingStatus,
  kOutputInterfaceZero,
  kDefault
};

std::optional<Action> action_from_firewall_event(const FlowRecord& f, ActionRule& rule) {
  if (f.has_extended_event && f.extended_event >= 1001 && f.extended_event <= 1004) {
    rule = ActionRule::kExtendedEvent;
    return Action::kDeny;
  }
  if (!f.has_firewall_event) return std::nullopt;
  rule = ActionRule::kFirewallEvent;
  switch (f.firewall_event) {
    case 3: return Action::kDeny;
    case 1:
    case 2:
    case 5: return Action::kAllow;
    default: return std::nullopt;
  }
}

std::optional<Action> action_from_forwarding_status(const FlowRecord& f, ActionRule& rule) {
  if (!f.has_forwarding_status) return std::nullopt;
  const unsigned top = f.forwarding_status >> 6;
  rule = ActionRule::kForwardingStatus;
  if (top == 0b10) return Action::kDeny;
  if (top == 0b01 || top == 0b11) return Action::kAllow;
  return std::nullopt;
}

// The last rule tried names what decided, or what fell through to the default.
[[gnu::cold, gnu::noinline]] std::string describe(ActionRule rule, const FlowRecord& f) {
  switch (rule) {
    case ActionRule::kExtendedEvent: return "NSEL extended event " + std::to_string(f.extended_event);
    case ActionRule::kFirewallEvent: return "NSEL firewall event " + std::to_string(f.firewall_event);
    case ActionRule::kForwardingStatus: return "forwardingStatus " + std::to_string(f.forwarding_status);
    case ActionRule::kOutputInterfaceZero: return "output interface 0 (output_interface_zero_is_deny)";
    case ActionRule::kDefault: break;
  }
  return "default_action";
}

}  // namespace

Action decide_action(const ExporterPolicy& p, const FlowRecord& f, Explanation* why) {
  ActionRule rule = ActionRule::kDefault;
  auto action = action_from_firewall_event(f, rule);
  if (!action) action = action_from_forwarding_status(f, rule);
  if (!action && p.output_interface_zero_is_deny && f.output_interface == 0) {
    rule = ActionRule::kOutputInterfaceZero;
    action = Action::kDeny;
  }
  if (!action) {
    rule = ActionRule::kDefault;
    action = p.default_action;
  }
  if (why) why->action = describe(rule, f);
  return *action;
}

std::string_view to_string(ScopeDrop reason) {
  switch (reason) {
    case ScopeDrop::kNone: return "none";
    case ScopeDrop::kUnknownExporter: return "unknown_exporter";
    case ScopeDrop::kInternalToInternal: return "internal_to_internal";
    case ScopeDrop::kExternalToExternal: return "external_to_external";
    case ScopeDrop::kIpv6Disabled: return "ipv6_disabled";
    case ScopeDrop::kCount: break;
  }
  return "unknown";
}

Enricher::Enricher(const Config& config, EnrichStats& stats)
    : exporters_(config),
      services_(config.service_overrides),
      send_ipv6_(config.api.send_ipv6),
      stats_(stats) {}

ScopeDrop Enricher::enrich(const FlowRecord& flow, Event& out, Explanation* why) {
  const ScopeDrop drop = classify(flow, out, why);
  if (drop == ScopeDrop::kNone) name_service(out, why);
  return drop;
}

void Enricher::name_service(Event& event, Explanation* why) const {
  event.service = services_.name(event.dst_ip, event.protocol, event.dst_port);
  if (why) why->service = services_.explain(event.dst_ip, event.protocol, event.dst_port);
}

const ExporterProfile* Enricher::find_exporter(const IpAddress& exporter, uint32_t domain) {
  if (!has_last_exporter_ || exporter != last_exporter_ || domain != last_domain_) {
    last_profile_ = exporters_.find(exporter, domain);
    last_firewall_hash_ = last_profile_ ? firewall_hash(last_profile_->name) : 0;
    last_exporter_ = exporter;
    last_domain_ = domain;
    has_last_exporter_ = true;
  }
  return last_profile_;
}

void Enricher::find_interfaces(const ExporterProfile* exporter, const FlowRecord& flow, bool explaining) {
  const bool by_name = exporter && !exporter->policy->policy.outside_interface_names.empty();
  // Explanations name interfaces whatever the policy; the hot path looks them up only to match names.
  run_interfaces_ =
      interface_lookup_ && (by_name || explaining) ? interface_lookup_(flow.exporter, flow.domain) : nullptr;
}

// The VRFs as exported, like the flow line of an explanation: a reply
// turned around keeps its ingress VRF as "in". Names are looked up here
// only, so the hot path never pays for them.
[[gnu::cold, gnu::noinline]] void Enricher::explain_vrfs(const FlowRecord& flow, Explanation& why) const {
  if (flow.ingress_vrf == 0 && flow.egress_vrf == 0) return;
  const VrfTable* names = vrf_lookup_ ? vrf_lookup_(flow.exporter, flow.domain) : nullptr;
  why.vrf = "in " + describe_vrf(flow.ingress_vrf, names) + ", out " + describe_vrf(flow.egress_vrf, names);
}

ScopeDrop Enricher::classify(const FlowRecord& flow, Event& out, Explanation* why) {
  const ExporterProfile* exporter = find_exporter(flow.exporter, flow.domain);
  find_interfaces(exporter, flow, why != nullptr);
  if (why) explain_vrfs(flow, *why);
  const ScopeDrop drop = classify_for(exporter, flow, out, why);
  if (drop == ScopeDrop::kNone) out.firewall = exporter->name;
  count(drop);
  return drop;
}

ClassifiedRun Enricher::classify_run(std::span<const FlowRecord> flows, std::span<Event> out) {
  ClassifiedRun run;
  if (flows.empty()) return run;
  const FlowRecord& first = flows.front();
  const ExporterProfile* exporter = find_exporter(first.exporter, first.domain);
  find_interfaces(exporter, first, false);
  for (const FlowRecord& flow : flows) {
    if (flow.domain != first.domain || flow.exporter != first.exporter) break;
    ++run.flows;
    const ScopeDrop drop = classify_for(exporter, flow, out[run.in_scope], nullptr);
    if (drop == ScopeDrop::kNone) ++run.in_scope;
    count(drop);
  }
  if (exporter) {
    run.firewall = &exporter->name;
    run.firewall_hash = last_firewall_hash_;
  }
  return run;
}

ScopeDrop Enricher::classify_for(const ExporterProfile* exporter, const FlowRecord& flow, Event& out,
                                 Explanation* why) {
  if (!send_ipv6_ && !(flow.src_addr.is_v4() && flow.dst_addr.is_v4())) return ScopeDrop::kIpv6Disabled;
  if (!exporter) return ScopeDrop::kUnknownExporter;
  if (why) why->firewall = exporter->matched_by;
  Oriented o = orient(flow);
  orient_equal_ports(*exporter->policy, o);
  if (const auto d = decide_direction(*exporter->policy, o, run_interfaces_, out.direction, why);
      d != ScopeDrop::kNone)
    return d;
  if (why) explain_orientation(o, *why);
  out.src_ip = o.src;
  out.dst_ip = o.dst;
  out.src_port = o.src_port;
  out.dst_port = o.dst_port;
  out.protocol = flow.protocol;
  out.action = decide_action(exporter->policy->policy, flow, why);
  return ScopeDrop::kNone;
}

void Enricher::count(ScopeDrop drop) {
  if (drop == ScopeDrop::kNone) {
    ++tally_.events;
  } else {
    ++tally_.out_of_scope[static_cast<size_t>(drop)];
  }
}

void Enricher::publish_counts() {
  if (tally_.events != 0) stats_.events.add(tally_.events);
  for (size_t i = 0; i < tally_.out_of_scope.size(); ++i) {
    if (tally_.out_of_scope[i] != 0)
      stats_.out_of_scope.add(static_cast<ScopeDrop>(i), tally_.out_of_scope[i]);
  }
  tally_ = {};
}

}  // namespace flowd
