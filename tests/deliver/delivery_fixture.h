#pragma once

// Shared pieces of the delivery tests: records, polling, and a scratch
// directory with a running TestApiServer.

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/daemon_process.h"
#include "onefirewall_flowd/core/event.h"
#include "onefirewall_flowd/deliver/admission.h"
#include "onefirewall_flowd/deliver/event_json.h"
#include "test_api_server.h"

namespace flowd::testing {

using namespace std::chrono_literals;

// A distinct, valid API body per n: 45.0.x.y → 10.0.0.1:443.
inline std::string record_body(int n) {
  Event e;
  e.firewall = "edge-fw-1";
  e.direction = Direction::kInbound;
  e.src_ip = *IpAddress::parse("45.0." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1));
  e.dst_ip = *IpAddress::parse("10.0.0.1");
  e.src_port = 40000;
  e.dst_port = 443;
  e.protocol = 6;
  e.service = "https";
  e.action = Action::kAllow;
  return event_json(e);
}

// An API body as the pipeline hands it to delivery, admitted now.
inline Admission admission_of(const std::string& body) {
  const auto json = nlohmann::json::parse(body);
  const bool inbound = json.at("direction") == "inbound";
  const auto host = IpAddress::parse(json.at(inbound ? "src_ip" : "dst_ip").get<std::string>());
  const Action action = json.at("action") == "Deny" ? Action::kDeny : Action::kAllow;
  return {body, host.value_or(IpAddress{}), action, unix_ms(std::chrono::system_clock::now())};
}

inline std::vector<std::string> record_bodies(int from, int to) {
  std::vector<std::string> out;
  for (int n = from; n < to; ++n) out.push_back(record_body(n));
  return out;
}

inline bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  return itest::wait_until(condition, timeout);
}

// Every body of `expected` was accepted at least once.
inline bool all_accepted(const TestApiServer& server, std::vector<std::string> expected) {
  auto accepted = server.accepted_bodies();
  std::sort(accepted.begin(), accepted.end());
  std::sort(expected.begin(), expected.end());
  return std::includes(accepted.begin(), accepted.end(), expected.begin(), expected.end());
}

// The most requests the server saw in any sliding window of `period`.
inline size_t busiest_window(const std::vector<SeenRequest>& seen, std::chrono::milliseconds period) {
  size_t best = 0;
  for (size_t i = 0, j = 0; j < seen.size(); ++j) {
    while (seen[j].arrival - seen[i].arrival >= period) ++i;
    best = std::max(best, j - i + 1);
  }
  return best;
}

// Requests in the whole periods from the first arrival while a backlog is
// served, as a share of the budget of those periods.
inline double budget_use(const std::vector<SeenRequest>& seen, uint32_t limit,
                         std::chrono::milliseconds period) {
  if (seen.empty()) return 0;
  const auto first = seen.front().arrival;
  const auto periods = (seen.back().arrival - first) / period;
  if (periods == 0) return 0;
  const auto end = first + periods * period;
  const auto in = std::count_if(seen.begin(), seen.end(), [&](const auto& r) { return r.arrival < end; });
  return static_cast<double>(in) / static_cast<double>(periods * limit);
}

}  // namespace flowd::testing
