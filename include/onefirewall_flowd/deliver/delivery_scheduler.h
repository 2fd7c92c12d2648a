#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "onefirewall_flowd/deliver/admission.h"
#include "onefirewall_flowd/deliver/deliver_stats.h"
#include "onefirewall_flowd/deliver/spool.h"

namespace flowd {

// One record out on a request, as the scheduler handed it out.
struct Dispatch {
  SpooledRecord record;
  bool new_host = false;  // its host was not reported within api.host_memory
};

// Chooses which waiting record each free request slot takes (DESIGN.md,
// "Delivery order"), over the spool. The caller passes the time (Unix ms), so
// a simulation can run it on its own clock; the rate limit is the caller's.
class DeliveryScheduler {
 public:
  // Records answered but not yet committed (e.g. while the disk is full) at
  // which take() stops handing out more.
  static constexpr size_t kMaxUncommitted = 65'536;

  // Opens the spool; throws std::runtime_error (start-up only).
  DeliveryScheduler(const SpoolSettings& spool, std::chrono::milliseconds max_age, DeliverStats& stats,
                    int64_t now_ms);

  // Writes newly admitted records to the spool (dropping by the spool-full rule past its cap).
  bool admit(const std::vector<Admission>& records, int64_t now_ms);
  // Records waiting that are not out on a request; 0 while too many answers wait for a commit.
  [[nodiscard]] uint64_t ready() const;
  // The next record by the order; its host's turn is taken.
  [[nodiscard]] std::optional<Dispatch> take(int64_t now_ms);
  // The API accepted it; removed from the spool at the next commit().
  void delivered(const Dispatch& dispatch, int64_t now_ms);
  // The API rejected it for good; moved to dead_letter at the next commit().
  void rejected(const Dispatch& dispatch, long status, std::string response);
  // The attempt failed: the record waits again. A host none of whose records
  // got through gets its place back.
  void retry(const Dispatch& dispatch);
  // Applies deliveries and rejections in one transaction. When it fails they
  // are kept, still out, and applied by a later commit: never sent again.
  bool commit(int64_t now_ms);
  // Drops stale records, forgets hosts past api.host_memory, compacts the
  // files, updates the gauges.
  void maintain(int64_t now_ms);
  // Records the API answered that are still in the spool, waiting for a commit.
  [[nodiscard]] size_t uncommitted() const { return delivered_.size() + rejected_.size(); }

  [[nodiscard]] Spool& spool() { return spool_; }
  [[nodiscard]] size_t in_flight() const { return in_flight_.size(); }

 private:
  Spool spool_;
  std::chrono::milliseconds max_age_;
  DeliverStats& stats_;
  // A host with records out: its turn before the first went, and whether one got through.
  struct HostOut {
    HostTurn before;
    int64_t last_taken_ms = 0;
    uint32_t out = 0;
    bool turn_used = false;
  };
  void settle(const SpooledRecord& record);

  InFlightSet in_flight_;
  std::unordered_map<std::string, HostOut> hosts_out_;
  std::vector<SpooledRecord> delivered_;
  std::vector<DeadLetter> rejected_;
  std::vector<SpooledRecord> rejected_records_;  // leave the in-flight set at commit
};

}  // namespace flowd
