#include "onefirewall_flowd/deliver/deliver_stats.h"

#include <algorithm>

#include <fmt/format.h>

namespace flowd {

std::string_view to_string(DeliverDrop reason) {
  switch (reason) {
    case DeliverDrop::kQueueFull: return "queue_full";
    case DeliverDrop::kSpoolFull: return "spool_full";
    case DeliverDrop::kSpoolError: return "spool_error";
    case DeliverDrop::kStale: return "stale";
    case DeliverDrop::kCount: break;
  }
  return "unknown";
}

std::string_view to_string(TransportError error) {
  switch (error) {
    case TransportError::kTimeout: return "timeout";
    case TransportError::kConnect: return "connect";
    case TransportError::kTls: return "tls";
    case TransportError::kOther: return "other";
    case TransportError::kCount: break;
  }
  return "unknown";
}

uint64_t request_outcome(long status, const TransportError* error) {
  if (error != nullptr) return kNoAnswer + static_cast<uint64_t>(*error);
  if (status >= 200 && status < 300) return 0;
  return status > 0 && status < static_cast<long>(kNoAnswer) ? static_cast<uint64_t>(status) : kNoAnswer - 1;
}

std::string describe_outcome(uint64_t outcome) {
  if (outcome == 0) return "";
  if (outcome < kNoAnswer) return fmt::format("HTTP {}", outcome);
  const auto error = static_cast<TransportError>(
      std::min<uint64_t>(outcome - kNoAnswer, ReasonCounters<TransportError>::kSize));
  return fmt::format("no answer: {}", to_string(error));
}

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::kDelivering: return "delivering";
    case DeliveryState::kPaused: return "paused";
    case DeliveryState::kUnreachable: return "unreachable";
    case DeliveryState::kThrottled: return "throttled";
    case DeliveryState::kCount: break;
  }
  return "unknown";
}

DeliveryState delivery_state(const DeliverStats& stats) {
  if (stats.auth_paused.value() != 0) return DeliveryState::kPaused;
  const uint64_t last = stats.last_outcome.value();
  if (last >= kNoAnswer || (last >= 500 && last < 600)) return DeliveryState::kUnreachable;
  if (last == 429 || stats.rate_limit.value() < stats.configured_rate_limit.value())
    return DeliveryState::kThrottled;
  return DeliveryState::kDelivering;
}

uint64_t StatusCounters::total() const {
  uint64_t sum = 0;
  for (const auto& c : counters_) sum += c.value();
  return sum;
}

std::string StatusCounters::describe() const {
  std::string out;
  for (size_t status = 0; status < counters_.size(); ++status) {
    const uint64_t n = counters_[status].value();
    if (n == 0) continue;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}:{}", status, n);
  }
  return out.empty() ? "none" : out;
}

namespace {

template <typename Reason>
std::string describe_reasons(const ReasonCounters<Reason>& counters) {
  std::string out;
  for (size_t i = 0; i < ReasonCounters<Reason>::kSize; ++i) {
    const auto reason = static_cast<Reason>(i);
    if (counters.value(reason) == 0) continue;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}:{}", to_string(reason), counters.value(reason));
  }
  return out.empty() ? "none" : out;
}

}  // namespace

double oldest_waiting_seconds(const DeliverStats& stats, int64_t now_ms) {
  const auto oldest = static_cast<int64_t>(stats.oldest_admitted_ms.value());
  return oldest == 0 || now_ms <= oldest ? 0.0 : static_cast<double>(now_ms - oldest) / 1000.0;
}

std::string describe_backlog(const DeliverStats& s, int64_t now_ms) {
  return fmt::format("backlog {} records of {} hosts, oldest {:.0f} s", s.queue_depth.value(),
                     s.waiting_hosts.value(), oldest_waiting_seconds(s, now_ms));
}

std::string describe(const DeliverStats& s, int64_t now_ms) {
  return fmt::format(
      "requests {} responses [{}] transport_errors [{}] delivered {} new_hosts {} dead_lettered {} retries "
      "{} "
      "dropped [{}] {} spool_bytes {}",
      s.requests.value(), s.responses.describe(), describe_reasons(s.transport_errors), s.delivered.value(),
      s.new_hosts_reported.value(), s.dead_lettered.value(), s.retries.value(), describe_reasons(s.dropped),
      describe_backlog(s, now_ms), s.spool_bytes.value());
}

}  // namespace flowd
