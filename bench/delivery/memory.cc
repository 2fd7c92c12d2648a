// What a long backlog costs in memory, and take() over it.
#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "scenarios.h"
#include "workload.h"

namespace flowd::delivery_sim {
namespace {

using Wall = std::chrono::steady_clock;

constexpr uint64_t kFullRecords = 5'000'000;
constexpr uint64_t kFullBound = 16ull << 20;  // the target at 5M records
constexpr uint64_t kFixedBound = 8ull << 20;  // below that: the spool's 4 MiB page cache and allocator slack
constexpr double kZipf = 1.05;
constexpr int64_t kCycleMs = 67;  // one take per 67 ms: the real budget's pace

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

// VmRSS or VmHWM of this process, bytes.
uint64_t status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

// The bound for `records`: 16 MiB at 5M, 8 MiB plus 8 MiB per 5M records in general.
uint64_t rss_bound(uint64_t records) {
  return kFixedBound + (kFullBound - kFixedBound) * records / kFullRecords;
}

// One order's figures; the backlog is admitted once, under the hosts-first
// order, and the arrival order reopens the same spool (a restart).
struct MemoryResult {
  uint64_t rss_empty = 0;
  uint64_t rss_waiting = 0;
  uint64_t rss_after_takes = 0;
  uint64_t waiting = 0;
  uint64_t hosts = 0;
  uint64_t spool_bytes = 0;
  uint64_t disk = 0;
  double open_seconds = 0;  // admitting the backlog, or reopening the spool holding it
  bool reopened = false;
  std::vector<double> take_us;   // sorted
  std::vector<double> cycle_us;  // take + delivered + commit, sorted
  uint64_t dropped = 0;
};

double seconds_since(Wall::time_point t) {
  return std::chrono::duration<double>(Wall::now() - t).count();
}
double us_since(Wall::time_point t) {
  return std::chrono::duration<double, std::micro>(Wall::now() - t).count();
}

// Admits the backlog in 100 ms batches, maintaining once a simulated second, as the daemon would.
int64_t admit_backlog(const MemoryOptions& o, TrafficGenerator& traffic, DeliveryScheduler& scheduler,
                      std::vector<Admission>& batch) {
  const uint64_t per_batch = std::max<uint64_t>(1, o.rate / 10);
  int64_t now = kStartMs;
  for (uint64_t left = o.records; left > 0; now += kPersistMs) {
    throw_if_interrupted();
    const uint64_t n = std::min(per_batch, left);
    batch.clear();
    traffic.generate(n, now - kPersistMs + 1, now + 1, batch);
    if (!scheduler.admit(batch, now)) throw std::runtime_error("the spool refused a batch");
    left -= n;
    if ((now - kStartMs) % kMaintainMs == 0) scheduler.maintain(now);
  }
  return now;
}

// Times take+delivered+commit cycles at the real budget's pace; returns the time after them.
int64_t time_takes(const MemoryOptions& o, DeliveryScheduler& scheduler, int64_t now, MemoryResult& r) {
  for (uint32_t i = 0; i < o.takes; ++i, now += kCycleMs) {
    const auto began = Wall::now();
    const auto dispatch = scheduler.take(now);
    r.take_us.push_back(us_since(began));
    if (!dispatch) throw std::runtime_error("take() found nothing with the backlog waiting");
    scheduler.delivered(*dispatch, now + 50);
    if (!scheduler.commit(now + 50)) throw std::runtime_error("commit failed");
    r.cycle_us.push_back(us_since(began));
  }
  std::sort(r.take_us.begin(), r.take_us.end());
  std::sort(r.cycle_us.begin(), r.cycle_us.end());
  return now;
}

// The spool's size and RSS with the backlog waiting, then the timed takes.
int64_t observe(const MemoryOptions& o, DeliveryScheduler& scheduler, const TempDir& dir, int64_t now,
                MemoryResult& r) {
  r.rss_waiting = status_bytes("VmRSS");
  r.waiting = scheduler.spool().records();
  r.hosts = scheduler.spool().hosts();
  r.spool_bytes = scheduler.spool().bytes();
  r.disk = disk_bytes(dir.path());
  now = time_takes(o, scheduler, now, r);
  r.rss_after_takes = status_bytes("VmRSS");
  return now;
}

std::array<MemoryResult, 2> measure(const Options& options) {
  const MemoryOptions& o = options.memory;
  std::array<MemoryResult, 2> r;  // arrival, hosts first
  TrafficGenerator traffic(o.population, kZipf, options.seed);
  std::vector<Admission> batch;
  traffic.generate(std::max<uint64_t>(1, o.rate / 10), 0, kPersistMs,
                   batch);  // the buffers, before the baseline
  TempDir dir(spool_parent(options.spool_dir, false, 0));
  SpoolSettings settings;
  settings.dir = dir.path();
  settings.max_bytes = o.spool_size;
  settings.order = DeliveryOrder::kHostsFirst;
  DeliverStats stats;
  const std::chrono::milliseconds max_age{86'400'000};
  int64_t now = kStartMs;
  {
    DeliveryScheduler scheduler(settings, max_age, stats, now);
    malloc_trim(0);
    r[0].rss_empty = r[1].rss_empty = status_bytes("VmRSS");
    const auto began = Wall::now();
    now = admit_backlog(o, traffic, scheduler, batch);
    r[1].open_seconds = seconds_since(began);
    now = observe(o, scheduler, dir, now, r[1]);
  }
  settings.order = DeliveryOrder::kArrival;
  const auto began = Wall::now();
  DeliveryScheduler reopened(settings, max_age, stats, now);
  r[0].open_seconds = seconds_since(began);
  r[0].reopened = true;
  observe(o, reopened, dir, now, r[0]);
  r[0].dropped = r[1].dropped = stats.dropped.total();
  return r;
}

template <typename F>
std::vector<std::string> row(const std::string& what, const std::array<MemoryResult, 2>& r, F f) {
  return {what, f(r[0]), f(r[1])};
}

std::string us(double v) {
  return fmt::format("{:.0f} us", v);
}

void print(const std::array<MemoryResult, 2>& r) {
  Table t({"", order_name(kOrders[0]), order_name(kOrders[1])});
  t.add(row("records / hosts waiting", r, [](auto& x) { return count(x.waiting) + " / " + count(x.hosts); }));
  t.add(row("RSS, scheduler open, nothing waiting", r, [](auto& x) { return mib(x.rss_empty); }));
  t.add(row("RSS with the backlog waiting", r, [](auto& x) { return mib(x.rss_waiting); }));
  t.add(
      row("  growth", r, [](auto& x) { return mib(x.rss_waiting - std::min(x.rss_waiting, x.rss_empty)); }));
  t.add(row("RSS after the timed takes", r, [](auto& x) { return mib(x.rss_after_takes); }));
  t.add(row("spool bytes (accounted) / on disk", r,
            [](auto& x) { return mib(x.spool_bytes) + " / " + mib(x.disk); }));
  t.add(row("admitting the backlog (real time)", r, [](auto& x) {
    if (x.reopened) return std::string("(the same spool)");
    return fmt::format("{:.1f} s ({:.1f} us/record)", x.open_seconds,
                       1e6 * x.open_seconds / double(x.waiting));
  }));
  t.add(row("reopening it (a restart)", r,
            [](auto& x) { return x.reopened ? fmt::format("{:.2f} s", x.open_seconds) : std::string("-"); }));
  t.add(row("take() p50 / p99 / max", r, [](auto& x) {
    return us(x.take_us[x.take_us.size() / 2]) + " / " + us(x.take_us[x.take_us.size() * 99 / 100]) + " / " +
           us(x.take_us.back());
  }));
  t.add(row("take+delivered+commit mean", r, [](auto& x) {
    double sum = 0;
    for (double v : x.cycle_us) sum += v;
    return us(sum / double(x.cycle_us.size()));
  }));
  t.add(row("records dropped", r, [](auto& x) { return count(x.dropped); }));
  t.print();
}

}  // namespace

void run_memory(const Options& options, Verdicts& verdicts) {
  const MemoryOptions& o = options.memory;
  std::cout << fmt::format(
      "\n== memory: {} records of hosts drawn from {} (Zipf {}), admitted {} per 100 ms with no delivery,\n"
      "   spool max {} under {}; then {} take+delivered+commit cycles. The backlog is admitted once, under\n"
      "   the hosts-first order; the arrival order then reopens the same spool, as a restart would.\n",
      count(o.records), count(o.population), kZipf, count(std::max<uint64_t>(1, o.rate / 10)),
      mib(o.spool_size), spool_parent(options.spool_dir, false, 0).string(), o.takes);
  const auto r = measure(options);
  print(r);
  const uint64_t bound = rss_bound(o.records);
  std::cout << fmt::format("   RSS bound: {} (16 MiB at 5M records; for N records 8 MiB + 8 MiB x N/5M)\n",
                           mib(bound));
  if (kAsan) {
    std::cout
        << "   RSS target not judged: AddressSanitizer's quarantine and shadow keep freed memory resident\n";
    return;
  }
  for (size_t i = 0; i < r.size(); ++i) {
    verdicts.target(r[i].rss_waiting <= r[i].rss_empty + bound,
                    fmt::format("memory, {}: RSS with {} waiting within {} of RSS with none",
                                order_name(kOrders[i]), count(o.records), mib(bound)));
  }
}

}  // namespace flowd::delivery_sim
