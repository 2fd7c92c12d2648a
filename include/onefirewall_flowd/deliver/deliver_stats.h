#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "onefirewall_flowd/core/counter.h"
#include "onefirewall_flowd/core/histogram.h"

namespace flowd {

// Why a record was dropped before delivery.
enum class DeliverDrop { kQueueFull, kSpoolFull, kSpoolError, kStale, kCount };
[[nodiscard]] std::string_view to_string(DeliverDrop reason);

// Why a request got no HTTP answer.
enum class TransportError { kTimeout, kConnect, kTls, kOther, kCount };
[[nodiscard]] std::string_view to_string(TransportError error);

// A value that goes up and down, safe to set from any thread.
class Gauge {
 public:
  void set(uint64_t v) { value_.store(v, std::memory_order_relaxed); }
  [[nodiscard]] uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Responses by HTTP status code, 100..599; anything else counts as 0.
class StatusCounters {
 public:
  static constexpr long kMax = 600;
  void add(long status) { counters_[index(status)].add(); }
  [[nodiscard]] uint64_t value(long status) const { return counters_[index(status)].value(); }
  [[nodiscard]] uint64_t total() const;
  // "200:12 429:1" for every status seen.
  [[nodiscard]] std::string describe() const;

 private:
  static size_t index(long status) {
    return status >= 100 && status < kMax ? static_cast<size_t>(status) : 0;
  }
  std::array<Counter, kMax> counters_{};
};

// What a request came to, as one number for a Gauge: 0 accepted (2xx), the
// HTTP status of any other answer, or kNoAnswer plus the TransportError.
inline constexpr uint64_t kNoAnswer = 1000;
[[nodiscard]] uint64_t request_outcome(long status, const TransportError* error);
// "HTTP 503" or "no answer: connect"; "" for 0.
[[nodiscard]] std::string describe_outcome(uint64_t outcome);

// Where delivery stands, for the delivery_state metric and `status`.
enum class DeliveryState { kDelivering, kPaused, kUnreachable, kThrottled, kCount };
[[nodiscard]] std::string_view to_string(DeliveryState state);

struct DeliverStats {
  Counter requests;  // requests started
  StatusCounters responses;
  ReasonCounters<TransportError> transport_errors;
  Counter delivered;
  Counter dead_lettered;
  Counter retries;              // answers or failures that sent a record back to wait
  Counter throttled;            // 429s that cut the request budget (one per throttling, not per answer)
  Gauge rate_limit;             // requests per api.rate_limit.period allowed now: less while throttled
  Gauge configured_rate_limit;  // api.rate_limit.requests as delivery started
  Gauge rate_limit_period_ms;   // api.rate_limit.period
  ReasonCounters<DeliverDrop> dropped;
  Gauge queue_depth;  // records waiting: in memory and in the spool
  Gauge spool_bytes;
  Gauge spool_disk_bytes;      // spool.db's pages in use plus the WAL
  Counter spool_damaged;       // damaged spools moved aside at start
  Counter records_salvaged;    // records carried over from them
  Gauge auth_paused;           // 1 while the API refuses the token
  Gauge last_outcome;          // request_outcome() of the latest answer or failure
  Gauge last_error;            // request_outcome() of the latest failure; 0 when none yet
  Gauge last_error_ms;         // its Unix ms
  Gauge waiting_hosts;         // external hosts with records in the spool
  Gauge oldest_admitted_ms;    // Unix ms of the oldest record in the spool; 0 when none
  Gauge remembered_hosts;      // the memory of reported hosts
  Counter new_hosts_reported;  // deliveries of a host not reported within api.host_memory
  // Seconds from a record's admission to the API's acceptance.
  Histogram delivery_delay{{0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400, 43200, 86400}};
};

// Paused on a refused token, else unreachable when the latest request got no
// answer or a 5xx, else throttled below the configured requests per period.
[[nodiscard]] DeliveryState delivery_state(const DeliverStats& stats);

// Seconds the oldest waiting record has waited at `now_ms`; 0 when none waits.
[[nodiscard]] double oldest_waiting_seconds(const DeliverStats& stats, int64_t now_ms);

// "backlog N records of H hosts, oldest S s", for the status line.
[[nodiscard]] std::string describe_backlog(const DeliverStats& stats, int64_t now_ms);
// One line for the minute and shutdown summaries.
[[nodiscard]] std::string describe(const DeliverStats& stats, int64_t now_ms);

}  // namespace flowd
