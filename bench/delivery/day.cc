// A synthetic day on the real budget: Zipf-drawn hosts on a daily curve whose
// peak exceeds the budget and whose trough does not.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "scenarios.h"
#include "workload.h"

namespace flowd::delivery_sim {
namespace {

constexpr uint32_t kBudget = 150;
constexpr std::chrono::milliseconds kPeriod{10'000};
constexpr int64_t kNewHostWithin = 60'000;
constexpr int64_t kTail = 60'000;         // after the last arrival, so that every new host has its 60 s
constexpr uint64_t kDiskPerRecord = 600;  // spool.db and WAL, generously

// Room for both orders' spools.
uint64_t room(const DayOptions& o) {
  return 2 * std::min<uint64_t>(o.spool_size * 3 / 2, o.records * o.days * kDiskPerRecord);
}

struct HourRow {
  uint64_t records = 0;
  uint64_t new_hosts = 0;
  uint64_t within = 0;
  int64_t p95 = kNever;
};

struct DayResult {
  std::vector<HourRow> hours;
  uint64_t records = 0;
  uint64_t denied = 0;
  uint64_t body_bytes = 0;
  uint64_t new_hosts = 0;
  uint64_t within = 0;
  uint64_t never = 0;
  std::vector<int64_t> delays;  // first-report delays of the new hosts, sorted
  uint64_t stale = 0;
  uint64_t spool_full = 0;
  uint64_t spool_error = 0;
  uint64_t delivered = 0;
  uint64_t new_hosts_reported = 0;
  uint64_t waiting_at_end = 0;
  uint64_t disk_at_end = 0;  // spool.db, WAL and shm
  uint64_t db_at_end = 0;
  LimiterFigures limiter;
  Ledger ledger;  // without its per-request vectors
  double seconds = 0;
};

// The day's arrivals, and per host (by rank) when it was first seen and first reported.
class DayTraffic : public Traffic {
 public:
  DayTraffic(const DayOptions& o, uint64_t seed, int64_t start)
      : generator_(o.population, o.zipf, seed),
        curve_(static_cast<double>(o.records), o.day_length.count(), o.amplitude),
        start_(start),
        end_(start + o.day_length.count() * o.days),
        slot_ms_(o.day_length.count() / 24),
        first_seen_(o.population, kNever),
        first_report_(o.population, kNever),
        hours_(24 * static_cast<size_t>(o.days)) {}

  void arrivals(int64_t from_ms, int64_t to_ms, std::vector<Admission>& out) override {
    to_ms = std::min(to_ms, end_ - 1);
    if (from_ms >= to_ms) return;
    // Records arriving in (from, to]: times [from + 1, to + 1).
    const double mean = curve_.expected(from_ms + 1 - start_, to_ms + 1 - start_);
    const auto n = mean > 0 ? std::poisson_distribution<uint64_t>(mean)(generator_.rng()) : 0;
    const size_t first = out.size();
    ranks_.clear();
    generator_.generate(n, from_ms + 1, to_ms + 1, out, &ranks_);
    for (size_t i = 0; i < ranks_.size(); ++i) note_arrival(ranks_[i], out[first + i].admitted_ms);
  }

  void accepted(const Dispatch& dispatch, int64_t now_ms) override {
    int64_t& report = first_report_[address_rank(key_address(dispatch.record.host))];
    if (report == kNever) report = now_ms;
  }

  [[nodiscard]] int64_t end() const { return end_; }

  void fill(DayResult& r) const {
    std::vector<std::vector<int64_t>> per_hour(hours_.size());
    for (size_t rank = 0; rank < first_seen_.size(); ++rank) {
      if (first_seen_[rank] == kNever) continue;
      const int64_t delay = first_report_[rank] == kNever ? kNever : first_report_[rank] - first_seen_[rank];
      per_hour[slot(first_seen_[rank])].push_back(delay);
      r.delays.push_back(delay);
    }
    r.hours = hours_;
    for (size_t h = 0; h < per_hour.size(); ++h) {
      auto& delays = per_hour[h];
      std::sort(delays.begin(), delays.end());
      r.hours[h].within = static_cast<uint64_t>(
          std::upper_bound(delays.begin(), delays.end(), kNewHostWithin) - delays.begin());
      r.hours[h].p95 = quantile(delays, 0.95);
      r.records += r.hours[h].records;
      r.new_hosts += r.hours[h].new_hosts;
      r.within += r.hours[h].within;
    }
    std::sort(r.delays.begin(), r.delays.end());
    r.never = static_cast<uint64_t>(std::count(r.delays.begin(), r.delays.end(), kNever));
    r.denied = generator_.denied();
    r.body_bytes = generator_.body_bytes();
  }

 private:
  [[nodiscard]] size_t slot(int64_t ms) const {
    return std::min(hours_.size() - 1, static_cast<size_t>((ms - start_) / slot_ms_));
  }
  void note_arrival(uint32_t rank, int64_t ms) {
    HourRow& hour = hours_[slot(ms)];
    ++hour.records;
    if (first_seen_[rank] != kNever) return;
    first_seen_[rank] = ms;
    ++hour.new_hosts;
  }

  TrafficGenerator generator_;
  DailyCurve curve_;
  int64_t start_;
  int64_t end_;
  int64_t slot_ms_;
  std::vector<int64_t> first_seen_;
  std::vector<int64_t> first_report_;
  std::vector<HourRow> hours_;
  std::vector<uint32_t> ranks_;
};

DayResult simulate(const Options& options, DeliveryOrder order) {
  const auto began = std::chrono::steady_clock::now();
  const DayOptions& o = options.day;
  SimSettings settings = sim_settings(options, order, kBudget, kPeriod, room(o));
  settings.spool_size = o.spool_size;
  settings.max_age = o.max_age;
  settings.host_memory = o.host_memory;
  DayTraffic traffic(o, options.seed, kStartMs);
  Simulation sim(settings, traffic);
  sim.run_until(traffic.end() + kTail);
  DayResult r;
  traffic.fill(r);
  const DeliverStats& stats = sim.stats();
  r.stale = stats.dropped.value(DeliverDrop::kStale);
  r.spool_full = stats.dropped.value(DeliverDrop::kSpoolFull);
  r.spool_error = stats.dropped.value(DeliverDrop::kSpoolError);
  r.delivered = stats.delivered.value();
  r.new_hosts_reported = stats.new_hosts_reported.value();
  r.waiting_at_end = sim.scheduler().spool().records();
  r.disk_at_end = sim.disk_bytes();
  r.db_at_end = sim.db_bytes();
  r.limiter = limiter_figures(sim);
  r.ledger = sim.ledger();
  r.ledger.starts = {};
  r.ledger.windows = {};
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return r;
}

// New hosts arrive slower than the budget in this hour.
bool judged(const HourRow& hour, const DayOptions& o) {
  const double budget = kBudget * static_cast<double>(o.day_length.count() / 24) / kPeriod.count();
  return hour.new_hosts > 0 && static_cast<double>(hour.new_hosts) < budget;
}

void print_hours(const DayOptions& o, const std::array<DayResult, 2>& r) {
  Table t({"hour", "records", "new hosts", "< budget", "FIFO <= 60 s", "FIFO p95", "hosts-first <= 60 s",
           "hosts-first p95"});
  for (size_t h = 0; h < r[1].hours.size(); ++h) {
    const HourRow& a = r[0].hours[h];
    const HourRow& b = r[1].hours[h];
    auto share = [](const HourRow& x) {
      return x.new_hosts == 0 ? "-" : percent(x.within / double(x.new_hosts));
    };
    t.add({fmt::format("{:02}", h), count(b.records), count(b.new_hosts), judged(b, o) ? "yes" : "no",
           share(a), ms_text(a.p95), share(b), ms_text(b.p95)});
  }
  t.print();
}

template <typename F>
std::vector<std::string> row(const std::string& what, const std::array<DayResult, 2>& r, F f) {
  return {what, f(r[0]), f(r[1])};
}

void print_summary(const std::array<DayResult, 2>& r) {
  Table t({"", order_name(kOrders[0]), order_name(kOrders[1])});
  t.add(row("new hosts reported within 60 s", r, [](auto& x) {
    return fmt::format("{} of {} ({})", count(x.within), count(x.new_hosts),
                       percent(x.within / double(x.new_hosts)));
  }));
  t.add(row("first-report delay p50", r, [](auto& x) { return ms_text(quantile(x.delays, 0.5)); }));
  t.add(row("first-report delay p95", r, [](auto& x) { return ms_text(quantile(x.delays, 0.95)); }));
  t.add(row("first-report delay max (reported)", r, [](auto& x) {
    return ms_text(x.never == x.delays.size() ? kNever : x.delays[x.delays.size() - 1 - x.never]);
  }));
  t.add(row("new hosts never reported in the run", r, [](auto& x) { return count(x.never); }));
  t.add(row("records delivered", r, [](auto& x) { return count(x.delivered); }));
  t.add(row("new hosts reported (DeliverStats)", r, [](auto& x) { return count(x.new_hosts_reported); }));
  t.add(row("dropped stale / spool_full / spool_error", r, [](auto& x) {
    return fmt::format("{} / {} / {}", count(x.stale), count(x.spool_full), count(x.spool_error));
  }));
  t.add(row("peak spool records", r, [](auto& x) { return count(x.ledger.peak_records); }));
  t.add(row("peak spool bytes (accounted)", r, [](auto& x) { return mib(x.ledger.peak_bytes); }));
  t.add(row("waiting at the end", r, [](auto& x) { return count(x.waiting_at_end); }));
  t.add(row("  spool.db / with WAL on disk", r,
            [](auto& x) { return fmt::format("{} / {}", mib(x.db_at_end), mib(x.disk_at_end)); }));
  t.add(row("most requests reaching the API in 10 s", r,
            [](auto& x) { return count(x.limiter.max_in_window); }));
  t.add(row("budget use while a backlog waits", r, [](auto& x) {
    return fmt::format("{} over {} periods", percent(x.limiter.budget_use),
                       count(x.limiter.backlogged_windows));
  }));
  t.add(row("least in one such period", r, [](auto& x) { return percent(x.limiter.min_budget_use); }));
  t.add(row("take() empty / failed admits / commits", r, [](auto& x) {
    return fmt::format("{} / {} / {}", x.ledger.empty_takes, x.ledger.failed_admits, x.ledger.failed_commits);
  }));
  t.add(row("real time", r, [](auto& x) { return fmt::format("{:.1f} s", x.seconds); }));
  t.add(row("  in admit / take / commit / maintain", r, [](auto& x) {
    const Ledger& l = x.ledger;
    return fmt::format("{:.1f} / {:.1f} / {:.1f} / {:.1f} s", l.admit_s, l.take_s, l.commit_s, l.maintain_s);
  }));
  t.print();
}

void print_workload(const Options& options, const DayResult& r) {
  const DayOptions& o = options.day;
  const DailyCurve curve(static_cast<double>(o.records), o.day_length.count(), o.amplitude);
  const int64_t hour = o.day_length.count() / 24;
  std::cout << fmt::format(
      "   {} records over {} day(s) of {} ({} per day asked), {} external hosts seen of a population of {} "
      "(Zipf {}),\n   {} Deny, mean body {:.0f} bytes; records/s {:.1f} at 04:00 to {:.1f} at 16:00, "
      "budget {}/s.\n   spool max {}, max_age {} s, host_memory {} s; 60 s of tail after the last arrival;\n"
      "   spools under {}\n",
      count(r.records), o.days, ms_text(o.day_length.count()), count(o.records), count(r.new_hosts),
      count(o.population), o.zipf, percent(r.denied / double(r.records)), r.body_bytes / double(r.records),
      curve.rate_per_s(4 * hour), curve.rate_per_s(16 * hour), kBudget / 10.0, mib(o.spool_size),
      o.max_age.count() / 1000, o.host_memory.count() / 1000,
      spool_parent(options.spool_dir, true, room(o)).string());
}

}  // namespace

void run_day(const Options& options, Verdicts& verdicts) {
  std::cout << fmt::format("\n== day: budget {} requests per 10 s, {} in flight, API latency {} ms\n",
                           kBudget, options.concurrency, options.latency_ms);
  const auto r = for_both_orders<DayResult>(options.parallel,
                                            [&](DeliveryOrder order) { return simulate(options, order); });
  print_workload(options, r[1]);
  print_summary(r);
  std::cout << "\n   per hour of the curve (" << ms_text(options.day.day_length.count() / 24)
            << " each): new hosts by hour of first sight; \"< budget\": they arrive slower than the budget\n";
  print_hours(options.day, r);
  bool every_hour = true;
  for (const HourRow& hour : r[1].hours) {
    if (judged(hour, options.day) && hour.within < 0.99 * static_cast<double>(hour.new_hosts))
      every_hour = false;
  }
  verdicts.target(every_hour,
                  "day, hosts first: >= 99% of new hosts reported within 60 s in every hour < budget");
  for (size_t i = 0; i < r.size(); ++i) {
    const std::string name = order_name(kOrders[i]);
    verdicts.target(r[i].limiter.max_in_window <= kBudget,
                    fmt::format("day, {}: never more than {} requests in 10 s", name, kBudget));
    verdicts.target(r[i].limiter.backlogged_windows > 0 && r[i].limiter.budget_use >= 0.95,
                    fmt::format("day, {}: budget use >= 95% while a backlog waits", name));
  }
}

}  // namespace flowd::delivery_sim
