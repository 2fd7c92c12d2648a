#include "delivery_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace flowd {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

constexpr milliseconds kMaxWait{100};     // the loop looks at the queue at least this often
constexpr milliseconds kStopGrace{1000};  // time given to requests in flight at stop

int64_t wall_ms() {
  return unix_ms(std::chrono::system_clock::now());
}

// The Unix ms of a steady-clock time point, as far as the two clocks agree now.
int64_t wall_ms_at(std::chrono::steady_clock::time_point t) {
  return wall_ms() - std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t).count();
}

SpoolSettings spool_settings(const UploaderSettings& s) {
  return {s.spool_dir, s.spool_max_size, s.host_memory, s.host_memory_limit, s.order};
}

std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (text.size() > 300) text.resize(300);
  return text;
}

}  // namespace

DeliveryLoop::DeliveryLoop(const UploaderSettings& settings, std::string token, DeliverStats& stats)
    : settings_(settings),
      stats_(stats),
      queue_(settings.queue_capacity),
      scheduler_(spool_settings(settings), settings.max_age, stats, wall_ms()),
      client_(settings.http),
      limiter_(settings.rate_limit_requests, settings.rate_limit_period),
      backoff_(settings.backoff_base, settings.backoff_max),
      throttle_(settings.rate_limit_requests, settings.rate_limit_period),
      budget_(scheduler_.spool().file(), settings.rate_limit_period,
              settings.http.timeout +
                  std::chrono::ceil<milliseconds>(RateLimiter::arrival_margin(settings.rate_limit_period))),
      token_(std::move(token)),
      dead_letter_log_(10s),
      retry_log_(10s),
      spool_log_(10s),
      full_log_(60s),
      stale_log_(60s),
      throttle_log_(60s) {
  stats_.configured_rate_limit.set(settings.rate_limit_requests);
  stats_.rate_limit_period_ms.set(static_cast<uint64_t>(settings.rate_limit_period.count()));
  update_depth();
  seed_budget();
  const Spool& spool = scheduler_.spool();
  if (spool.records() > 0) {
    spdlog::info("spool {} holds {} records of {} external hosts from before", spool.file().string(),
                 spool.records(), spool.hosts());
  }
}

bool DeliveryLoop::enqueue(Admission record) {
  if (queue_.push(std::move(record))) return true;
  stats_.dropped.add(DeliverDrop::kQueueFull);
  return false;
}

void DeliveryLoop::set_token(std::string token) {
  {
    const std::lock_guard lock(token_mutex_);
    next_token_ = std::move(token);
  }
  token_changed_ = true;
  client_.wakeup();
}

void DeliveryLoop::request_stop() {
  stop_ = true;
  client_.wakeup();
}

void DeliveryLoop::run() {
  std::vector<HttpResult> finished;
  while (!stop_) {
    auto now = Clock::now();
    pick_up_token(now);
    if (now >= next_persist_) {
      persist_queue();
      next_persist_ = now + settings_.persist_interval;
    }
    maintain(now);
    start_requests(now);
    flush_budget();  // before poll() puts the new requests on the wire
    finished.clear();
    client_.poll(wait_time(Clock::now()), finished);
    now = Clock::now();
    for (auto& result : finished) handle(result, now);
    update_depth();  // answered records leave the backlog now, not after the spool's write
    commit();
  }
  drain_in_flight();
  persist_queue();
  commit();
  report_unsaved();
  flush_budget();
}

void DeliveryLoop::report_unsaved() {
  if (!incoming_.empty()) {
    stats_.dropped.add(DeliverDrop::kSpoolError, incoming_.size());
    spdlog::error("cannot write to the spool {}: {} records are lost at stop",
                  scheduler_.spool().file().string(), incoming_.size());
  }
  if (const size_t answered = scheduler_.uncommitted()) {
    spdlog::error("cannot remove {} records the API already took from the spool {}; they will be sent again",
                  answered, scheduler_.spool().file().string());
  }
}

void DeliveryLoop::pick_up_token(Clock::time_point now) {
  if (!token_changed_.exchange(false)) return;
  {
    const std::lock_guard lock(token_mutex_);
    token_ = next_token_;
  }
  if (auth_paused_) {
    spdlog::info("new API token: retrying delivery now");
    next_auth_probe_ = now;
  }
}

void DeliveryLoop::persist_queue() {
  // What the spool could not take last time is still in incoming_, oldest first.
  queue_.take_all(incoming_);
  const uint64_t full_before = stats_.dropped.value(DeliverDrop::kSpoolFull);
  if (!incoming_.empty() && !scheduler_.admit(incoming_, wall_ms())) {
    hold_unwritten();
  } else {
    incoming_.clear();
  }
  if (const uint64_t full = stats_.dropped.value(DeliverDrop::kSpoolFull) - full_before) {
    full_log_.log(
        spdlog::level::warn,
        fmt::format("the spool is full (spool.max_size): dropped {} records of the external host with "
                    "the most waiting",
                    full));
  }
  update_depth();
}

// The spool cannot be written (e.g. the disk is full): up to queue.capacity
// records wait in memory for it; only the newest beyond are dropped.
void DeliveryLoop::hold_unwritten() {
  const size_t dropped = incoming_.size() - std::min(incoming_.size(), settings_.queue_capacity);
  incoming_.resize(incoming_.size() - dropped);
  stats_.dropped.add(DeliverDrop::kSpoolError, dropped);
  spool_log_.log(spdlog::level::err,
                 fmt::format("cannot write to the spool {}: {} records wait in memory, {} dropped",
                             scheduler_.spool().file().string(), incoming_.size(), dropped));
}

void DeliveryLoop::maintain(Clock::time_point now) {
  if (now < next_maintenance_) return;
  next_maintenance_ = now + settings_.maintenance_interval;
  const uint64_t stale_before = stats_.dropped.value(DeliverDrop::kStale);
  scheduler_.maintain(wall_ms());
  if (const uint64_t stale = stats_.dropped.value(DeliverDrop::kStale) - stale_before) {
    stale_log_.log(spdlog::level::warn,
                   fmt::format("dropped {} records that waited longer than api.max_age", stale));
  }
  update_depth();
}

bool DeliveryLoop::may_start(Clock::time_point now) const {
  if (scheduler_.ready() == 0 || !client_.has_free_slot() || now < not_before_) return false;
  if (!auth_paused_) return true;
  return client_.in_flight() == 0 && now >= next_auth_probe_;  // one probe at a time
}

void DeliveryLoop::start_requests(Clock::time_point now) {
  // The slot is checked before the scheduler takes a record, so a taken record always goes out.
  while (may_start(now) && limiter_.next_start(now) <= now) {
    auto dispatch = scheduler_.take(wall_ms());
    if (!dispatch || !limiter_.try_start(now)) {
      if (dispatch) scheduler_.retry(*dispatch);
      return;
    }
    const auto tag = static_cast<uint64_t>(dispatch->record.id);
    client_.start(tag, dispatch->record.body, token_);
    budget_.started(tag, wall_ms());
    stats_.requests.add();
    if (auth_paused_) next_auth_probe_ = now + settings_.auth_retry;
    in_flight_.emplace(tag, InFlight{std::move(*dispatch), now});
  }
}

milliseconds DeliveryLoop::wait_time(Clock::time_point now) {
  if (scheduler_.ready() == 0 || !client_.has_free_slot()) return kMaxWait;
  Clock::time_point until = std::max(not_before_, limiter_.next_start(now));
  if (auth_paused_) until = std::max(until, next_auth_probe_);
  if (until <= now) return 0ms;
  if (until - now >= kMaxWait) return kMaxWait;
  return std::chrono::ceil<milliseconds>(until - now);
}

void DeliveryLoop::handle(HttpResult& result, Clock::time_point now) {
  auto it = in_flight_.find(result.tag);
  if (it == in_flight_.end()) return;
  InFlight flight = std::move(it->second);
  in_flight_.erase(it);
  const auto margin = RateLimiter::arrival_margin(settings_.rate_limit_period);
  const Clock::time_point arrival = result.sent_by ? *result.sent_by + margin : flight.started;
  limiter_.settle(arrival);
  budget_.arrived(result.tag, wall_ms_at(arrival));
  spdlog::debug(
      "record {}: {} after {} ms", flight.dispatch.record.id,
      result.error ? std::string(to_string(*result.error)) : "HTTP " + std::to_string(result.status),
      std::chrono::duration_cast<milliseconds>(now - flight.started).count());
  if (result.error) {
    stats_.transport_errors.add(*result.error);
  } else {
    stats_.responses.add(result.status);
  }
  note_outcome(result);
  adapt_rate(result, flight.started, now);
  const Outcome outcome = result.error ? Outcome::kRetryLater : classify(result.status);
  switch (outcome) {
    case Outcome::kDelivered: return on_delivered(flight.dispatch);
    case Outcome::kDeadLetter: return on_dead_letter(flight.dispatch, result);
    case Outcome::kAuthRefused: return on_auth_refused(flight.dispatch, result.status, now);
    case Outcome::kThrottled:
    case Outcome::kRetryLater: return on_retry(flight.dispatch, result, flight.started, now);
  }
}

void DeliveryLoop::note_outcome(const HttpResult& result) {
  const uint64_t outcome = request_outcome(result.status, result.error ? &*result.error : nullptr);
  stats_.last_outcome.set(outcome);
  if (outcome == 0) return;
  stats_.last_error.set(outcome);
  stats_.last_error_ms.set(static_cast<uint64_t>(wall_ms()));
}

// Additive increase, multiplicative decrease while the API throttles below api.rate_limit.
void DeliveryLoop::adapt_rate(const HttpResult& result, Clock::time_point started, Clock::time_point now) {
  if (result.error) return;
  if (result.status == 429 && throttle_.on_throttled(started, now)) {
    stats_.throttled.add();
    throttle_log_.log(spdlog::level::warn,
                      fmt::format("the API throttles (HTTP 429) below api.rate_limit: slowing to {} "
                                  "requests per {} ms, then speeding up while it accepts them",
                                  throttle_.limit(), settings_.rate_limit_period.count()));
  } else if (classify(result.status) != Outcome::kDelivered || !throttle_.on_accepted(now)) {
    return;
  }
  limiter_.set_limit(throttle_.limit());
  stats_.rate_limit.set(throttle_.limit());
}

// Counts the requests of the last period before a restart against the budget.
void DeliveryLoop::seed_budget() {
  const auto now = Clock::now();
  const int64_t now_ms = wall_ms();
  for (const int64_t sent_ms : budget_.load(now_ms))
    limiter_.note_arrival(now - milliseconds(now_ms - sent_ms));
  stats_.rate_limit.set(limiter_.limit());
}

void DeliveryLoop::flush_budget() {
  if (budget_.dirty() && !budget_.flush(wall_ms())) {
    spool_log_.log(spdlog::level::err, "cannot record the request budget in " +
                                           scheduler_.spool().file().string() +
                                           "; a restart may exceed api.rate_limit");
  }
}

void DeliveryLoop::on_delivered(const Dispatch& dispatch) {
  scheduler_.delivered(dispatch, wall_ms());
  backoff_.reset();
  if (auth_paused_) {
    auth_paused_ = false;
    stats_.auth_paused.set(0);
    spdlog::info("the API accepts the token again: delivery resumed");
  }
}

void DeliveryLoop::on_dead_letter(const Dispatch& dispatch, HttpResult& result) {
  dead_letter_log_.log(
      spdlog::level::warn,
      fmt::format("the API rejected a record with HTTP {} and will not get it again; kept in the "
                  "dead_letter table of {}: {}",
                  result.status, scheduler_.spool().file().string(), one_line(result.response)));
  scheduler_.rejected(dispatch, result.status, std::move(result.response));
}

void DeliveryLoop::on_auth_refused(const Dispatch& dispatch, long status, Clock::time_point now) {
  stats_.retries.add();
  scheduler_.retry(dispatch);
  next_auth_probe_ = now + settings_.auth_retry;
  if (auth_paused_) return;
  auth_paused_ = true;
  stats_.auth_paused.set(1);
  spdlog::error(
      "the API refused the token (HTTP {}): delivery is PAUSED and records are kept in the spool. Fix the "
      "token "
      "and send SIGHUP; retrying every {} s meanwhile",
      status, std::chrono::duration_cast<std::chrono::seconds>(settings_.auth_retry).count());
}

void DeliveryLoop::on_retry(const Dispatch& dispatch, const HttpResult& result, Clock::time_point started,
                            Clock::time_point now) {
  stats_.retries.add();
  scheduler_.retry(dispatch);
  std::optional<milliseconds> wait;
  if (!result.error && result.status == 429) {
    wait = throttled_wait(result.retry_after, std::chrono::system_clock::now(), settings_.max_retry_after);
  }
  // Requests that were already in flight when the backoff last grew fail together
  // (one outage, one throttle); they must not each double it.
  if (!wait && started < backoff_since_) return;
  if (!wait) {
    wait = backoff_.next();
    backoff_since_ = now;
  }
  not_before_ = std::max(not_before_, now + *wait);
  const std::string what = result.error
                               ? fmt::format("{} ({})", to_string(*result.error), one_line(result.response))
                               : fmt::format("HTTP {}", result.status);
  retry_log_.log(spdlog::level::warn,
                 fmt::format("delivery failed: {}; retrying in {} ms", what, wait->count()));
}

void DeliveryLoop::commit() {
  if (!scheduler_.commit(wall_ms())) {
    spool_log_.log(spdlog::level::err,
                   fmt::format("cannot update the spool {}: {} answered records wait in memory to be removed",
                               scheduler_.spool().file().string(), scheduler_.uncommitted()));
  }
  update_depth();
}

void DeliveryLoop::drain_in_flight() {
  const auto deadline = Clock::now() + std::min<milliseconds>(kStopGrace, settings_.http.timeout);
  std::vector<HttpResult> finished;
  while (client_.in_flight() > 0 && Clock::now() < deadline) {
    finished.clear();
    client_.poll(20ms, finished);
    for (auto& result : finished) handle(result, Clock::now());
  }
  client_.abort_all();  // what is still in flight stays in the spool, its host in its place
  for (const auto& [tag, flight] : in_flight_) scheduler_.retry(flight.dispatch);
  in_flight_.clear();
}

void DeliveryLoop::update_depth() {
  const uint64_t spooled = scheduler_.spool().records();
  stats_.queue_depth.set(spooled - std::min<uint64_t>(spooled, scheduler_.uncommitted()) + queue_.size() +
                         incoming_.size());
}

}  // namespace flowd
