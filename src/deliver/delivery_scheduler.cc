#include "onefirewall_flowd/deliver/delivery_scheduler.h"

namespace flowd {

DeliveryScheduler::DeliveryScheduler(const SpoolSettings& spool, std::chrono::milliseconds max_age,
                                     DeliverStats& stats, int64_t now_ms)
    : spool_(spool, stats, now_ms), max_age_(max_age), stats_(stats) {
  stats_.oldest_admitted_ms.set(static_cast<uint64_t>(spool_.oldest_admitted_ms()));
}

bool DeliveryScheduler::admit(const std::vector<Admission>& records, int64_t now_ms) {
  return spool_.append(records, now_ms, in_flight_);
}

uint64_t DeliveryScheduler::ready() const {
  if (uncommitted() >= kMaxUncommitted) return 0;
  const uint64_t waiting = spool_.records();
  return waiting > in_flight_.size() ? waiting - in_flight_.size() : 0;
}

std::optional<Dispatch> DeliveryScheduler::take(int64_t now_ms) {
  if (uncommitted() >= kMaxUncommitted) return std::nullopt;
  auto next = spool_.next(in_flight_);
  if (!next) return std::nullopt;
  auto& [record, turn] = *next;
  const auto taken = spool_.take_turn(record.host, now_ms);
  if (!taken) return std::nullopt;
  HostOut& host = hosts_out_[record.host];
  if (host.out == 0) host = {turn, 0, 0, false};
  ++host.out;
  host.last_taken_ms = *taken;
  in_flight_.add(record);
  return Dispatch{std::move(record), host.before.reported == 0};
}

void DeliveryScheduler::delivered(const Dispatch& dispatch, int64_t now_ms) {
  stats_.delivered.add();
  HostOut& host = hosts_out_[dispatch.record.host];
  if (host.before.reported == 0 && !host.turn_used) stats_.new_hosts_reported.add();
  host.turn_used = true;
  const int64_t delay_ms = std::max<int64_t>(0, now_ms - dispatch.record.admitted_ms);
  stats_.delivery_delay.observe(static_cast<double>(delay_ms) / 1000.0);
  delivered_.push_back(dispatch.record);
  delivered_.back().body = {};  // the commit needs only its id and host
}

void DeliveryScheduler::rejected(const Dispatch& dispatch, long status, std::string response) {
  stats_.dead_lettered.add();
  hosts_out_[dispatch.record.host].turn_used = true;
  rejected_.push_back({dispatch.record.id, status, std::move(response)});
  rejected_records_.push_back(dispatch.record);
}

void DeliveryScheduler::retry(const Dispatch& dispatch) {
  const auto it = hosts_out_.find(dispatch.record.host);
  if (it != hosts_out_.end() && it->second.out == 1 && !it->second.turn_used) {
    spool_.restore_turn(it->first, it->second.last_taken_ms, it->second.before);
  }
  settle(dispatch.record);
}

void DeliveryScheduler::settle(const SpooledRecord& record) {
  in_flight_.remove(record);
  const auto it = hosts_out_.find(record.host);
  if (it != hosts_out_.end() && --it->second.out == 0) hosts_out_.erase(it);
}

bool DeliveryScheduler::commit(int64_t now_ms) {
  if (delivered_.empty() && rejected_.empty()) return true;
  // Until it commits they stay out, so they are neither sent again nor dropped.
  if (!spool_.complete(delivered_, rejected_, now_ms)) return false;
  for (const auto& record : delivered_) settle(record);
  for (const auto& record : rejected_records_) settle(record);
  delivered_.clear();
  rejected_.clear();
  rejected_records_.clear();
  return true;
}

void DeliveryScheduler::maintain(int64_t now_ms) {
  if (max_age_.count() > 0) spool_.drop_admitted_before(now_ms - max_age_.count(), in_flight_);
  spool_.forget_before(now_ms);
  spool_.compact();
  stats_.oldest_admitted_ms.set(static_cast<uint64_t>(spool_.oldest_admitted_ms()));
}

}  // namespace flowd
