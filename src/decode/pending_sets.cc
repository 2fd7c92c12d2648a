#include "onefirewall_flowd/decode/pending_sets.h"

#include "onefirewall_flowd/decode/expiry.h"

namespace flowd {

void PendingSets::release(size_t held, PendingBudget& budget) {
  bytes_ -= held;
  budget.bytes -= held;
  if (!listed_) budget.unlisted_bytes -= held;
}

void PendingSets::drop_front(DecodeError reason, PendingBudget& budget, DecodeStats& stats) {
  release(held_bytes(sets_.front().bytes.size()), budget);
  sets_.pop_front();
  stats.errors.add(reason);
}

bool PendingSets::budget_has_room(size_t held, const PendingLimits& limits,
                                  const PendingBudget& budget) const {
  if (budget.bytes + held > limits.bytes_total) return false;
  return listed_ || budget.unlisted_bytes + held <= limits.unlisted_bytes_total();
}

void PendingSets::hold(const MessageContext& context, uint16_t template_id, std::span<const uint8_t> body,
                       const PendingLimits& limits, PendingBudget& budget, DecodeStats& stats) {
  const size_t held = held_bytes(body.size());
  if (limits.sets_per_exporter == 0 || held > limits.bytes_per_exporter || held > limits.bytes_total) {
    stats.errors.add(DecodeError::kPendingOverflow);
    return;
  }
  expire(context.received, limits, budget, stats);
  while (!sets_.empty() &&
         (sets_.size() >= limits.sets_per_exporter || bytes_ + held > limits.bytes_per_exporter)) {
    drop_front(DecodeError::kPendingOverflow, budget, stats);
  }
  // The shared budget is spent by other exporters too; if this exporter
  // cannot free enough of it, the new set is the one dropped.
  if (!budget_has_room(held, limits, budget)) {
    stats.errors.add(DecodeError::kPendingOverflow);
    return;
  }
  sets_.push_back(PendingSet{context, template_id, {body.begin(), body.end()}});
  bytes_ += held;
  budget.bytes += held;
  if (!listed_) budget.unlisted_bytes += held;
  stats.pending_held.add();
}

std::vector<PendingSet> PendingSets::take(uint32_t domain, uint16_t template_id, PendingBudget& budget) {
  std::vector<PendingSet> taken;
  for (auto it = sets_.begin(); it != sets_.end();) {
    if (it->context.domain == domain && it->template_id == template_id) {
      release(held_bytes(it->bytes.size()), budget);
      taken.push_back(std::move(*it));
      it = sets_.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

void PendingSets::expire(std::chrono::system_clock::time_point now, const PendingLimits& limits,
                         PendingBudget& budget, DecodeStats& stats) {
  while (!sets_.empty() && outlived(sets_.front().context.received, now, limits.max_age)) {
    drop_front(DecodeError::kPendingExpired, budget, stats);
  }
}

void PendingSets::clear(PendingBudget& budget, DecodeStats& stats) {
  while (!sets_.empty()) drop_front(DecodeError::kPendingOverflow, budget, stats);
}

}  // namespace flowd
