#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "onefirewall_flowd/deliver/budget_store.h"
#include "onefirewall_flowd/deliver/delivery_policy.h"
#include "onefirewall_flowd/deliver/delivery_scheduler.h"
#include "onefirewall_flowd/deliver/http_client.h"
#include "onefirewall_flowd/deliver/rate_limiter.h"
#include "onefirewall_flowd/deliver/record_queue.h"
#include "onefirewall_flowd/deliver/throttle_control.h"
#include "onefirewall_flowd/deliver/uploader.h"
#include "throttled_log.h"

namespace flowd {

// The uploader thread's state and loop: hand-over queue → spool → rate
// limiter → scheduler → HTTP client → outcome.
class DeliveryLoop {
 public:
  using Clock = std::chrono::steady_clock;

  DeliveryLoop(const UploaderSettings& settings, std::string token, DeliverStats& stats);

  // The thread body; returns after request_stop() once everything is persisted.
  void run();
  void request_stop();
  bool enqueue(Admission record);
  void set_token(std::string token);

 private:
  void persist_queue();
  void hold_unwritten();
  void report_unsaved();
  void maintain(Clock::time_point now);
  void start_requests(Clock::time_point now);
  void seed_budget();
  void flush_budget();
  void note_outcome(const HttpResult& result);
  void adapt_rate(const HttpResult& result, Clock::time_point started, Clock::time_point now);
  [[nodiscard]] bool may_start(Clock::time_point now) const;
  [[nodiscard]] std::chrono::milliseconds wait_time(Clock::time_point now);
  void handle(HttpResult& result, Clock::time_point now);
  void on_delivered(const Dispatch& dispatch);
  void on_dead_letter(const Dispatch& dispatch, HttpResult& result);
  void on_auth_refused(const Dispatch& dispatch, long status, Clock::time_point now);
  void on_retry(const Dispatch& dispatch, const HttpResult& result, Clock::time_point started,
                Clock::time_point now);
  void commit();
  void pick_up_token(Clock::time_point now);
  void drain_in_flight();
  void update_depth();

  UploaderSettings settings_;
  DeliverStats& stats_;
  RecordQueue queue_;
  DeliveryScheduler scheduler_;
  HttpClient client_;
  RateLimiter limiter_;
  Backoff backoff_;
  ThrottleControl throttle_;
  BudgetStore budget_;

  std::mutex token_mutex_;
  std::string next_token_;
  std::atomic<bool> token_changed_{false};
  std::atomic<bool> stop_{false};
  std::string token_;

  struct InFlight {
    Dispatch dispatch;
    Clock::time_point started;
  };
  std::unordered_map<uint64_t, InFlight> in_flight_;
  std::vector<Admission> incoming_;  // on their way to the spool, or waiting in memory for it
  Clock::time_point not_before_{};
  Clock::time_point backoff_since_{};  // when the backoff last grew
  bool auth_paused_ = false;
  Clock::time_point next_auth_probe_{};
  Clock::time_point next_persist_{};
  Clock::time_point next_maintenance_{};
  ThrottledLog dead_letter_log_;
  ThrottledLog retry_log_;
  ThrottledLog spool_log_;
  ThrottledLog full_log_;
  ThrottledLog stale_log_;
  ThrottledLog throttle_log_;
};

}  // namespace flowd
