#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <span>

#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/decode/exporter_admission.h"

namespace flowd {

// Datagrams and flows from one exporter, for the per-exporter metrics.
struct ExporterCounts {
  uint64_t packets = 0;
  uint64_t flows = 0;
  uint64_t sequence_lost = 0;
  int64_t last_heard = 0;  // Unix seconds of the latest datagram; 0 when none

  void add(const ExporterCounts& other) {
    packets += other.packets;
    flows += other.flows;
    sequence_lost += other.sequence_lost;
    last_heard = std::max(last_heard, other.last_heard);
  }
};

// The per-exporter counts of one worker. Its thread is the only writer, and
// any thread may read them without a lock: a series is filled in before the
// release store that publishes it, its address never changes, and its counts
// are atomics that the writer stores (no read-modify-write). Exporters past
// kMaxSeries share one "other" series, so spoofed sources cannot grow it.
// When exporters are listed, unlisted ones get at most kMaxUnlistedSeries, so
// that spoofed sources leave room for the listed; refused ones get none.
class ExporterSeries {
 public:
  static constexpr size_t kMaxSeries = 1024;
  static constexpr size_t kMaxUnlistedSeries = kMaxSeries - kMaxSeries / 4;

  ExporterSeries();

  // On the owning worker's thread only; applies to exporters not yet counted.
  void set_admission(ExporterAdmission admission) { admission_ = std::move(admission); }

  // On the owning worker's thread only; heard_at is the datagram's arrival in Unix seconds.
  void count(const IpAddress& exporter, uint64_t flows, uint64_t sequence_lost, int64_t heard_at = 0);

  // From any thread: adds every series into totals, keeping at most
  // kMaxSeries addresses there and the rest in other.
  void add_to(std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other) const;
  // The same for the listed series only, or for the unlisted ones and "other".
  void add_to(std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other, bool listed) const;
  [[nodiscard]] std::map<IpAddress, ExporterCounts> snapshot() const;
  [[nodiscard]] ExporterCounts other() const { return other_.load(); }

 private:
  struct Series {
    IpAddress address;
    bool listed = false;
    std::atomic<uint64_t> packets{0};
    std::atomic<uint64_t> flows{0};
    std::atomic<uint64_t> sequence_lost{0};
    std::atomic<int64_t> last_heard{0};

    void add(uint64_t more_flows, uint64_t more_lost, int64_t heard_at);
    [[nodiscard]] ExporterCounts load() const;
  };

  Series& series_for(const IpAddress& exporter);
  [[nodiscard]] bool may_have_series(const IpAddress& exporter, size_t published) const;

  std::unique_ptr<Series[]> series_;  // kMaxSeries, allocated once
  std::atomic<size_t> published_{0};
  Series other_;
  std::map<IpAddress, Series*> index_;  // the writer's lookup
  Series* last_ = nullptr;              // datagrams come in runs from one exporter
  ExporterAdmission admission_;
  size_t unlisted_ = 0;  // series given to unlisted exporters
};

// Adds several workers' series into totals: the listed ones first, so that
// unlisted exporters on many workers cannot push them into "other".
void add_series_to(std::span<const ExporterSeries* const> workers,
                   std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other);

}  // namespace flowd
