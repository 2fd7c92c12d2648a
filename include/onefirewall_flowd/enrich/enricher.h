#pragma once

#include <array>
#include <functional>
#include <span>
#include <string>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/counter.h"
#include "onefirewall_flowd/core/event.h"
#include "onefirewall_flowd/core/firewall_hash.h"
#include "onefirewall_flowd/core/flow_record.h"
#include "onefirewall_flowd/core/vrf_table.h"
#include "onefirewall_flowd/enrich/exporter_table.h"
#include "onefirewall_flowd/enrich/service_table.h"

namespace flowd {

// Why a decoded flow produced no record.
enum class ScopeDrop : uint8_t {
  kNone,
  kUnknownExporter,     // exporters.accept_unknown is false
  kInternalToInternal,  // both ends inside: not perimeter traffic
  kExternalToExternal,  // both ends outside
  kIpv6Disabled,        // api.send_ipv6 is false
  kCount
};

[[nodiscard]] std::string_view to_string(ScopeDrop reason);

struct EnrichStats {
  Counter events;  // flows that became records
  ReasonCounters<ScopeDrop> out_of_scope;
};

// Which field or rule decided each part of a record (replay --explain).
struct Explanation {
  std::string firewall;
  std::string direction;
  std::string action;
  std::string service;
  std::string orientation;
  std::string vrf;  // the flow's VRFs as exported; empty when it carries no VRF id
};

// Allow or Deny, first rule that applies: NSEL event and extended event,
// forwardingStatus, output interface 0 (when the policy says so), then the
// policy's default_action. Fills why->action with the rule.
[[nodiscard]] Action decide_action(const ExporterPolicy& policy, const FlowRecord& flow,
                                   Explanation* why = nullptr);

// What classify_run() made of the leading flows that share one exporter and domain.
struct ClassifiedRun {
  size_t flows = 0;     // flows consumed
  size_t in_scope = 0;  // events written, at the front of the output
  // The run's firewall, which its events do not carry yet; nullptr for an
  // unknown exporter. Valid until the enricher is replaced.
  const std::string* firewall = nullptr;
  uint64_t firewall_hash = 0;  // firewall_hash(*firewall)
};

// Turns a FlowRecord into an API Event: firewall name, initiator-first
// orientation, direction, action and service.
class Enricher {
 public:
  Enricher(const Config& config, EnrichStats& stats);

  // Fills out and returns kNone, or returns why the flow is out of scope.
  ScopeDrop enrich(const FlowRecord& flow, Event& out, Explanation* why = nullptr);

  // enrich() in two steps, for the hot path: classify() fills everything
  // the reduce key needs; name_service() adds the service name, which only
  // the records reduce lets through need.
  ScopeDrop classify(const FlowRecord& flow, Event& out, Explanation* why = nullptr);
  void name_service(Event& event, Explanation* why = nullptr) const;

  // classify() for the hot path: the leading flows of one exporter and domain
  // (a datagram's flows all are) into out, packed, without the firewall name:
  // reduce keys on the run's firewall_hash, and only the records it lets
  // through are named. out holds at least flows.size() events.
  ClassifiedRun classify_run(std::span<const FlowRecord> flows, std::span<Event> out);

  // Adds the outcomes counted since the last call to the shared stats. The
  // hot path counts in plain integers and publishes once a datagram: a
  // locked add per flow cost as much as the rest of classify().
  void publish_counts();

  // Where the names an exporter announced for its interfaces are found, for
  // outside_interfaces given by name (and for explanations); the tables it
  // returns must live until the next datagram is decoded.
  using InterfaceLookup = std::function<const InterfaceTable*(const IpAddress& exporter, uint32_t domain)>;
  void set_interface_lookup(InterfaceLookup lookup) { interface_lookup_ = std::move(lookup); }
  // Likewise the VRF names, looked up for explanations only.
  using VrfLookup = std::function<const VrfTable*(const IpAddress& exporter, uint32_t domain)>;
  void set_vrf_lookup(VrfLookup lookup) { vrf_lookup_ = std::move(lookup); }

  ~Enricher() { publish_counts(); }
  Enricher(const Enricher&) = delete;
  Enricher& operator=(const Enricher&) = delete;

 private:
  struct Tally {
    uint64_t events = 0;
    std::array<uint64_t, static_cast<size_t>(ScopeDrop::kCount)> out_of_scope{};
  };

  // The flows of one datagram share their exporter: one table lookup a datagram.
  const ExporterProfile* find_exporter(const IpAddress& exporter, uint32_t domain);
  // classify() but the firewall name, for a flow of `exporter` (nullptr: unknown).
  ScopeDrop classify_for(const ExporterProfile* exporter, const FlowRecord& flow, Event& out,
                         Explanation* why);
  void count(ScopeDrop drop);
  void find_interfaces(const ExporterProfile* exporter, const FlowRecord& flow, bool explaining);
  void explain_vrfs(const FlowRecord& flow, Explanation& why) const;

  ExporterTable exporters_;
  bool has_last_exporter_ = false;
  IpAddress last_exporter_;
  uint32_t last_domain_ = 0;
  const ExporterProfile* last_profile_ = nullptr;
  uint64_t last_firewall_hash_ = 0;
  ServiceTable services_;
  bool send_ipv6_;
  EnrichStats& stats_;
  Tally tally_;
  InterfaceLookup interface_lookup_;
  VrfLookup vrf_lookup_;
  const InterfaceTable* run_interfaces_ = nullptr;  // of the flows being classified
};

}  // namespace flowd
