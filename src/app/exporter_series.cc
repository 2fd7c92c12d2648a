#include "onefirewall_flowd/app/exporter_series.h"

namespace flowd {
namespace {

// Only the owning thread writes, so a load and a store suffice.
void bump(std::atomic<uint64_t>& value, uint64_t n) {
  value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

}  // namespace

void ExporterSeries::Series::add(uint64_t more_flows, uint64_t more_lost, int64_t heard_at) {
  bump(packets, 1);
  bump(flows, more_flows);
  if (more_lost > 0) bump(sequence_lost, more_lost);
  // Stored once a second at most, so readers' cache lines stay quiet.
  if (heard_at > last_heard.load(std::memory_order_relaxed))
    last_heard.store(heard_at, std::memory_order_relaxed);
}

ExporterCounts ExporterSeries::Series::load() const {
  return {packets.load(std::memory_order_relaxed), flows.load(std::memory_order_relaxed),
          sequence_lost.load(std::memory_order_relaxed), last_heard.load(std::memory_order_relaxed)};
}

ExporterSeries::ExporterSeries() : series_(std::make_unique<Series[]>(kMaxSeries)) {}

ExporterSeries::Series& ExporterSeries::series_for(const IpAddress& exporter) {
  if (last_ != nullptr && last_->address == exporter) return *last_;
  if (auto it = index_.find(exporter); it != index_.end()) return *(last_ = it->second);
  const size_t n = published_.load(std::memory_order_relaxed);
  if (!may_have_series(exporter, n)) return other_;
  const bool listed = admission_.listed && admission_.listed(exporter);
  if (!listed) ++unlisted_;
  Series& fresh = series_[n];
  fresh.address = exporter;
  fresh.listed = listed;
  index_.emplace(exporter, &fresh);
  published_.store(n + 1, std::memory_order_release);
  return *(last_ = &fresh);
}

bool ExporterSeries::may_have_series(const IpAddress& exporter, size_t published) const {
  if (published == kMaxSeries) return false;
  if (!admission_.listed) return admission_.accept_unknown;
  return admission_.listed(exporter) || (admission_.accept_unknown && unlisted_ < kMaxUnlistedSeries);
}

void ExporterSeries::count(const IpAddress& exporter, uint64_t flows, uint64_t sequence_lost,
                           int64_t heard_at) {
  series_for(exporter).add(flows, sequence_lost, heard_at);
}

void ExporterSeries::add_to(std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other) const {
  add_to(totals, other, true);
  add_to(totals, other, false);
}

void ExporterSeries::add_to(std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other,
                            bool listed) const {
  const size_t n = published_.load(std::memory_order_acquire);
  for (size_t i = 0; i < n; ++i) {
    const Series& s = series_[i];
    if (s.listed != listed) continue;
    auto it = totals.find(s.address);
    if (it == totals.end() && totals.size() < kMaxSeries)
      it = totals.emplace(s.address, ExporterCounts{}).first;
    (it == totals.end() ? other : it->second).add(s.load());
  }
  if (!listed) other.add(other_.load());
}

void add_series_to(std::span<const ExporterSeries* const> workers,
                   std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other) {
  for (const ExporterSeries* series : workers) series->add_to(totals, other, true);
  for (const ExporterSeries* series : workers) series->add_to(totals, other, false);
}

std::map<IpAddress, ExporterCounts> ExporterSeries::snapshot() const {
  std::map<IpAddress, ExporterCounts> out;
  ExporterCounts ignored;
  add_to(out, ignored);
  return out;
}

}  // namespace flowd
