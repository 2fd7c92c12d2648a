#include "delivery_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace flowd {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

constexpr size_t kLoadBatch = 512;        // records read from the spool at a time
constexpr milliseconds kMaxWait{100};     // the loop looks at the queue at least this often
constexpr milliseconds kStopGrace{1000};  // time given to requests in flight at stop

// Margin for the trip from the client to the server, after the request went out.
RateLimiter::Clock::duration arrival_margin(milliseconds period) {
  return std::clamp<milliseconds>(period / 50, 20ms, 200ms);
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
      spool_(settings.spool_dir, settings.spool_max_size, stats),
      client_(settings.http),
      limiter_(settings.rate_limit_requests, settings.rate_limit_period),
      backoff_(settings.backoff_base, settings.backoff_max),
      token_(std::move(token)),
      dead_letter_log_(10s),
      retry_log_(10s),
      spool_log_(10s) {
  update_depth();
  if (spool_.records() > 0) {
    spdlog::info("spool {} holds {} records from before; they go first", spool_.file().string(),
                 spool_.records());
  }
}

bool DeliveryLoop::enqueue(std::string body) {
  if (queue_.push(std::move(body))) return true;
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
    refill();
    start_requests(now);
    finished.clear();
    client_.poll(wait_time(Clock::now()), finished);
    now = Clock::now();
    for (auto& result : finished) handle(result, now);
    commit();
  }
  drain_in_flight();
  persist_queue();
  commit();
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
  incoming_.clear();
  queue_.take_all(incoming_);
  if (!incoming_.empty() && !spool_.append(incoming_)) {
    stats_.dropped.add(DeliverDrop::kSpoolError, incoming_.size());
    spool_log_.log(spdlog::level::err,
                   "cannot write to the spool " + spool_.file().string() + "; records dropped");
  }
  // Records dropped for space must not be sent from memory either.
  const int64_t dropped = spool_.dropped_through();
  while (!ready_.empty() && ready_.front().id <= dropped) ready_.pop_front();
  update_depth();
}

void DeliveryLoop::refill() {
  if (ready_.size() >= std::max<size_t>(settings_.http.concurrency * 2, 16)) return;
  for (auto& record : spool_.read_after(loaded_through_, kLoadBatch)) {
    loaded_through_ = record.id;
    ready_.push_back(std::move(record));
  }
}

bool DeliveryLoop::may_start(Clock::time_point now) const {
  if (ready_.empty() || !client_.has_free_slot() || now < not_before_) return false;
  if (!auth_paused_) return true;
  return client_.in_flight() == 0 && now >= next_auth_probe_;  // one probe at a time
}

void DeliveryLoop::start_requests(Clock::time_point now) {
  while (may_start(now) && limiter_.try_start(now)) {
    SpooledRecord record = std::move(ready_.front());
    ready_.pop_front();
    const auto tag = static_cast<uint64_t>(record.id);
    client_.start(tag, record.body, token_);
    stats_.requests.add();
    if (auth_paused_) next_auth_probe_ = now + settings_.auth_retry;
    in_flight_.emplace(tag, InFlight{std::move(record), now});
  }
}

milliseconds DeliveryLoop::wait_time(Clock::time_point now) {
  if (ready_.empty() || !client_.has_free_slot()) return kMaxWait;
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
  const auto margin = arrival_margin(settings_.rate_limit_period);
  limiter_.settle(result.sent_by ? *result.sent_by + margin : flight.started);
  spdlog::debug(
      "record {}: {} after {} ms", flight.record.id,
      result.error ? std::string(to_string(*result.error)) : "HTTP " + std::to_string(result.status),
      std::chrono::duration_cast<milliseconds>(now - flight.started).count());
  if (result.error) {
    stats_.transport_errors.add(*result.error);
  } else {
    stats_.responses.add(result.status);
  }
  const Outcome outcome = result.error ? Outcome::kRetryLater : classify(result.status);
  switch (outcome) {
    case Outcome::kDelivered: return on_delivered(flight.record);
    case Outcome::kDeadLetter: return on_dead_letter(std::move(flight.record), result);
    case Outcome::kAuthRefused: return on_auth_refused(std::move(flight.record), result.status, now);
    case Outcome::kThrottled:
    case Outcome::kRetryLater: return on_retry(std::move(flight.record), result, flight.started, now);
  }
}

void DeliveryLoop::on_delivered(const SpooledRecord& record) {
  delivered_.push_back(record.id);
  stats_.delivered.add();
  backoff_.reset();
  if (auth_paused_) {
    auth_paused_ = false;
    stats_.auth_paused.set(0);
    spdlog::info("the API accepts the token again: delivery resumed");
  }
}

void DeliveryLoop::on_dead_letter(SpooledRecord record, HttpResult& result) {
  stats_.dead_lettered.add();
  dead_letter_log_.log(
      spdlog::level::warn,
      fmt::format("the API rejected a record with HTTP {} and will not get it again; kept in the "
                  "dead_letter table of {}: {}",
                  result.status, spool_.file().string(), one_line(result.response)));
  rejected_.push_back({record.id, result.status, std::move(result.response)});
}

void DeliveryLoop::on_auth_refused(SpooledRecord record, long status, Clock::time_point now) {
  stats_.retries.add();
  put_back(std::move(record));
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

void DeliveryLoop::on_retry(SpooledRecord record, const HttpResult& result, Clock::time_point started,
                            Clock::time_point now) {
  stats_.retries.add();
  put_back(std::move(record));
  std::optional<milliseconds> wait;
  if (!result.error && result.status == 429) {
    wait = parse_retry_after(result.retry_after, std::chrono::system_clock::now());
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

void DeliveryLoop::put_back(SpooledRecord record) {
  const auto at = std::upper_bound(ready_.begin(), ready_.end(), record.id,
                                   [](int64_t id, const SpooledRecord& r) { return id < r.id; });
  ready_.insert(at, std::move(record));
}

void DeliveryLoop::commit() {
  if (delivered_.empty() && rejected_.empty()) return;
  if (!spool_.complete(delivered_, rejected_)) {
    spool_log_.log(spdlog::level::err, "cannot update the spool " + spool_.file().string() +
                                           "; delivered records may be sent again");
  }
  delivered_.clear();
  rejected_.clear();
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
  client_.abort_all();  // what is still in flight stays in the spool
}

void DeliveryLoop::update_depth() {
  stats_.queue_depth.set(spool_.records() + queue_.size());
}

}  // namespace flowd
