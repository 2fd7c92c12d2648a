#include "onefirewall_flowd/deliver/deliver_stats.h"

#include <fmt/format.h>

namespace flowd {

std::string_view to_string(DeliverDrop reason) {
  switch (reason) {
    case DeliverDrop::kQueueFull: return "queue_full";
    case DeliverDrop::kSpoolFull: return "spool_full";
    case DeliverDrop::kSpoolError: return "spool_error";
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

std::string describe(const DeliverStats& s) {
  return fmt::format(
      "requests {} responses [{}] transport_errors [{}] delivered {} dead_lettered {} retries {} "
      "dropped [{}] queue_depth {} spool_bytes {}",
      s.requests.value(), s.responses.describe(), describe_reasons(s.transport_errors), s.delivered.value(),
      s.dead_lettered.value(), s.retries.value(), describe_reasons(s.dropped), s.queue_depth.value(),
      s.spool_bytes.value());
}

}  // namespace flowd
