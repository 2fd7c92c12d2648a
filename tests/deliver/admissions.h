#pragma once

// Records for the spool and scheduler tests: API bodies with the external host,
// action and admission time that the delivery order reads.

#include <string>
#include <string_view>

#include "onefirewall_flowd/deliver/admission.h"
#include "onefirewall_flowd/deliver/event_json.h"

namespace flowd::testing {

// A fixed Unix time (2027-01-15) so that tests run on their own clock.
constexpr int64_t kT0 = 1'800'000'000'000;

// Inbound from `external` to 10.0.x.y:443; `n` makes the body distinct.
inline Admission inbound(std::string_view external, Action action, int64_t admitted_ms, int n = 0) {
  Event e;
  e.firewall = "edge-fw-1";
  e.direction = Direction::kInbound;
  e.src_ip = *IpAddress::parse(external);
  e.dst_ip = IpAddress::from_v4((10u << 24) | static_cast<uint32_t>(n + 1));
  e.src_port = 40000;
  e.dst_port = 443;
  e.protocol = 6;
  e.service = "https";
  e.action = action;
  return {event_json(e), e.src_ip, action, admitted_ms};
}

inline Admission allow(std::string_view external, int64_t admitted_ms, int n = 0) {
  return inbound(external, Action::kAllow, admitted_ms, n);
}

inline Admission deny(std::string_view external, int64_t admitted_ms, int n = 0) {
  return inbound(external, Action::kDeny, admitted_ms, n);
}

}  // namespace flowd::testing
