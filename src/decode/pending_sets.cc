#include "onefirewall_flowd/decode/pending_sets.h"

namespace flowd {

void PendingSets::drop_front(DecodeError reason, size_t& total_bytes, DecodeStats& stats) {
  bytes_ -= sets_.front().bytes.size();
  total_bytes -= sets_.front().bytes.size();
  sets_.pop_front();
  stats.errors.add(reason);
}

void PendingSets::hold(const MessageContext& context, uint16_t template_id, std::span<const uint8_t> body,
                       const PendingLimits& limits, size_t& total_bytes, DecodeStats& stats) {
  if (limits.sets_per_exporter == 0 || body.size() > limits.bytes_per_exporter ||
      body.size() > limits.bytes_total) {
    stats.errors.add(DecodeError::kPendingOverflow);
    return;
  }
  expire(context.received, limits, total_bytes, stats);
  while (!sets_.empty() &&
         (sets_.size() >= limits.sets_per_exporter || bytes_ + body.size() > limits.bytes_per_exporter)) {
    drop_front(DecodeError::kPendingOverflow, total_bytes, stats);
  }
  // The shared budget is spent by other exporters too; if this exporter
  // cannot free enough of it, the new set is the one dropped.
  if (total_bytes + body.size() > limits.bytes_total) {
    stats.errors.add(DecodeError::kPendingOverflow);
    return;
  }
  sets_.push_back(PendingSet{context, template_id, {body.begin(), body.end()}});
  bytes_ += body.size();
  total_bytes += body.size();
  stats.pending_held.add();
}

std::vector<PendingSet> PendingSets::take(uint32_t domain, uint16_t template_id, size_t& total_bytes) {
  std::vector<PendingSet> taken;
  for (auto it = sets_.begin(); it != sets_.end();) {
    if (it->context.domain == domain && it->template_id == template_id) {
      bytes_ -= it->bytes.size();
      total_bytes -= it->bytes.size();
      taken.push_back(std::move(*it));
      it = sets_.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

void PendingSets::expire(std::chrono::system_clock::time_point now, const PendingLimits& limits,
                         size_t& total_bytes, DecodeStats& stats) {
  while (!sets_.empty() && now - sets_.front().context.received > limits.max_age) {
    drop_front(DecodeError::kPendingExpired, total_bytes, stats);
  }
}

void PendingSets::clear(size_t& total_bytes, DecodeStats& stats) {
  while (!sets_.empty()) drop_front(DecodeError::kPendingOverflow, total_bytes, stats);
}

}  // namespace flowd
