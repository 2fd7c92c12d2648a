#pragma once

// The daemon's delivery loop (src/deliver/delivery_loop.cc) on a simulated
// clock: the real DeliveryScheduler over a real SQLite spool and the real
// RateLimiter, with an API that accepts every request after a fixed latency.

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <vector>

#include "onefirewall_flowd/deliver/delivery_scheduler.h"
#include "onefirewall_flowd/deliver/rate_limiter.h"

namespace flowd::delivery_sim {

constexpr int64_t kStartMs = 1'800'000'000'000;  // Unix ms: the simulated clock's midnight of day one
constexpr int64_t kPersistMs = 100;              // the daemon writes the hand-over queue to the spool
constexpr int64_t kMaintainMs = 1000;            // and maintains the spool

// Set from a signal handler: the runs throw at their next step, so that their
// temporary directories are removed on the way out.
void request_interrupt();
// Throws std::runtime_error once request_interrupt() was called.
void throw_if_interrupted();

// Where a run makes its spool: `chosen` if set; else, for a run whose figures do not
// depend on the disk (`memory_ok`), /dev/shm when it has `need` bytes free (the
// simulated day is several times faster on tmpfs); else the system's temporary directory.
[[nodiscard]] std::filesystem::path spool_parent(const std::string& chosen, bool memory_ok, uint64_t need);

// A fresh directory under `parent`, removed with all it holds unless kept.
class TempDir {
 public:
  // --keep: the directories stay, for a look at the spools; each is named on stdout.
  static void keep_all() { keep_ = true; }
  explicit TempDir(const std::filesystem::path& parent);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  static inline bool keep_ = false;
};

// Bytes of the files in `dir` (spool.db, its WAL and shared memory).
[[nodiscard]] uint64_t disk_bytes(const std::filesystem::path& dir);

struct SimSettings {
  std::filesystem::path spool_parent = std::filesystem::temp_directory_path();
  DeliveryOrder order = DeliveryOrder::kHostsFirst;
  uint32_t budget = 150;
  std::chrono::milliseconds period{10'000};
  uint32_t concurrency = 8;
  int64_t latency_ms = 50;
  uint64_t spool_size = 1ull << 30;
  std::chrono::milliseconds max_age{86'400'000};
  std::chrono::milliseconds host_memory{86'400'000};
};

// The scenario's side: what arrives, and what the API accepted.
class Traffic {
 public:
  virtual ~Traffic() = default;
  // Appends the records that arrived in (from_ms, to_ms], oldest first.
  virtual void arrivals(int64_t from_ms, int64_t to_ms, std::vector<Admission>& out) = 0;
  virtual void accepted(const Dispatch& dispatch, int64_t now_ms) = 0;
};

// What a run measured beside DeliverStats.
struct Ledger {
  struct Window {  // one rate-limit period, aligned to the start
    uint32_t requests = 0;
    bool backlogged = true;  // records were ready at every step in it
  };
  std::vector<int64_t> starts;  // request start times, Unix ms
  std::vector<Window> windows;
  uint64_t peak_records = 0;
  uint64_t peak_bytes = 0;
  uint64_t empty_takes = 0;  // take() gave nothing although ready() > 0
  uint64_t failed_admits = 0;
  uint64_t failed_commits = 0;
  // Real seconds spent in the scheduler, by call.
  double admit_s = 0;
  double take_s = 0;
  double commit_s = 0;
  double maintain_s = 0;
};

class Simulation {
 public:
  Simulation(const SimSettings& settings, Traffic& traffic, int64_t start_ms = kStartMs);

  // Steps from event to event until end_ms, or until `done` holds after a step.
  void run_until(int64_t end_ms, const std::function<bool()>& done = {});
  // Nothing waits in the spool and nothing is out on a request.
  [[nodiscard]] bool idle() const { return scheduler_.ready() == 0 && flights_.empty(); }
  [[nodiscard]] int64_t now() const { return now_ms_; }
  [[nodiscard]] int64_t start() const { return start_ms_; }
  [[nodiscard]] const SimSettings& settings() const { return settings_; }
  [[nodiscard]] DeliveryScheduler& scheduler() { return scheduler_; }
  [[nodiscard]] const DeliverStats& stats() const { return stats_; }
  [[nodiscard]] const Ledger& ledger() const { return ledger_; }
  [[nodiscard]] uint64_t disk_bytes() const { return delivery_sim::disk_bytes(dir_.path()); }
  // spool.db alone, without its WAL.
  [[nodiscard]] uint64_t db_bytes() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(dir_.path() / "spool.db", ec);
    return ec ? 0 : size;
  }

 private:
  using Clock = RateLimiter::Clock;
  struct Flight {
    Dispatch dispatch;
    int64_t started_ms;
    int64_t done_ms;
  };
  static Clock::time_point at(int64_t ms) { return Clock::time_point(std::chrono::milliseconds(ms)); }

  void step();
  void persist();
  void complete_due();
  void start_requests();
  void account();
  [[nodiscard]] Ledger::Window& window(int64_t ms);
  [[nodiscard]] int64_t next_event(int64_t end_ms);

  SimSettings settings_;
  Traffic& traffic_;
  TempDir dir_;
  DeliverStats stats_;
  DeliveryScheduler scheduler_;
  RateLimiter limiter_;
  Clock::duration margin_;
  std::deque<Flight> flights_;  // by completion time: the latency is fixed
  std::vector<Admission> batch_;
  int64_t start_ms_;
  int64_t now_ms_;
  int64_t last_persist_ms_;
  int64_t next_persist_ms_;
  int64_t next_maintain_ms_;
  Ledger ledger_;
};

}  // namespace flowd::delivery_sim
