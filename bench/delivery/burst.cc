// Issue 13's operator case: four busy hosts already reported have a long
// backlog when 150 hosts never seen before arrive, one record each.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "scenarios.h"
#include "workload.h"

namespace flowd::delivery_sim {
namespace {

constexpr uint32_t kBudget = 15;
constexpr std::chrono::milliseconds kPeriod{1000};
constexpr int64_t kWarmupRecords = 3;    // per busy host, delivered before the backlog comes
constexpr int64_t kBacklogFrom = 2'000;  // ms after the start: the backlog arrives over 8 s
constexpr int64_t kBacklogSpread = 8'000;
constexpr int64_t kNewcomersAt = 60'000;  // the newcomers arrive within 1 s from here
constexpr int64_t kNewcomersSpread = 1'000;
constexpr int64_t kWithin = 20'000;
constexpr size_t kFirstDeliveries = 300;
constexpr int64_t kGiveUp = 4 * 3'600'000;
constexpr uint64_t kSpoolRoom = 64ull << 20;

struct BusyHost {
  const char* what;
  uint32_t address;
  Action action;
  bool outbound;
  double share;  // of the backlog
};
constexpr uint32_t v4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}
const BusyHost kBusy[] = {
    {"scanner", v4(198, 51, 100, 66), Action::kDeny, false, 0.40},
    {"second scanner", v4(203, 0, 113, 99), Action::kDeny, false, 0.25},
    {"CDN", v4(192, 0, 2, 80), Action::kAllow, true, 0.20},
    {"DNS resolver", v4(192, 0, 2, 53), Action::kAllow, true, 0.15},
};

uint32_t newcomer_address(uint32_t i) {
  return v4(45, 1, i / 250, i % 250 + 1);
}

struct BurstResult {
  uint64_t remembered_before_backlog = 0;
  uint64_t waiting_at_newcomers = 0;
  std::vector<int64_t> delays;  // of the newcomers, sorted; kNever if not delivered
  uint32_t within = 0;
  size_t first_deliveries = 0;
  size_t distinct_in_first = 0;
  size_t longest_run = 0;  // of one host in those deliveries
  int64_t drained_after_ms = kNever;
  uint64_t delivered = 0;
  uint64_t new_hosts_reported = 0;
  LimiterFigures limiter;
  Ledger anomalies;
};

class BurstTraffic : public Traffic {
 public:
  BurstTraffic(const BurstOptions& options, uint64_t seed, int64_t start) : start_(start) {
    for (const BusyHost& h : kBusy) {
      for (int64_t i = 0; i < kWarmupRecords; ++i) script_.push_back(busy(h, start, i));
    }
    std::mt19937_64 rng(seed);
    std::discrete_distribution<size_t> which({0.40, 0.25, 0.20, 0.15});
    std::uniform_int_distribution<int64_t> when(start + kBacklogFrom,
                                                start + kBacklogFrom + kBacklogSpread - 1);
    std::vector<Admission> backlog;
    for (uint32_t i = 0; i < options.backlog; ++i) backlog.push_back(busy(kBusy[which(rng)], when(rng), i));
    std::stable_sort(backlog.begin(), backlog.end(),
                     [](const Admission& a, const Admission& b) { return a.admitted_ms < b.admitted_ms; });
    script_.insert(script_.end(), backlog.begin(), backlog.end());
    for (uint32_t i = 0; i < options.newcomers; ++i) {
      const int64_t at = start + kNewcomersAt + i * kNewcomersSpread / options.newcomers;
      const Action action = i % 5 == 4 ? Action::kDeny : Action::kAllow;
      script_.push_back(make_record(newcomer_address(i), action, false, at, i));
      newcomers_.emplace(newcomer_address(i), Newcomer{at, kNever});
    }
  }

  void arrivals(int64_t, int64_t to_ms, std::vector<Admission>& out) override {
    for (; next_ < script_.size() && script_[next_].admitted_ms <= to_ms; ++next_)
      out.push_back(script_[next_]);
  }

  void accepted(const Dispatch& dispatch, int64_t now_ms) override {
    const uint32_t address = key_address(dispatch.record.host);
    deliveries_.push_back({now_ms, address});
    const auto it = newcomers_.find(address);
    if (it != newcomers_.end() && it->second.delivered == kNever) it->second.delivered = now_ms;
  }

  [[nodiscard]] bool exhausted() const { return next_ == script_.size(); }

  void fill(BurstResult& r) const {
    for (const auto& [address, n] : newcomers_) {
      r.delays.push_back(n.delivered == kNever ? kNever : n.delivered - n.arrived);
      if (n.delivered != kNever && n.delivered - n.arrived <= kWithin) ++r.within;
    }
    std::sort(r.delays.begin(), r.delays.end());
    std::unordered_set<uint32_t> distinct;
    const int64_t first_arrival = start_ + kNewcomersAt;
    uint32_t previous = 0;
    size_t run = 0;
    for (const auto& [when, address] : deliveries_) {
      if (when < first_arrival) continue;
      if (++r.first_deliveries > kFirstDeliveries) break;
      distinct.insert(address);
      run = address == previous ? run + 1 : 1;
      previous = address;
      r.longest_run = std::max(r.longest_run, run);
    }
    r.first_deliveries = std::min(r.first_deliveries, kFirstDeliveries);
    r.distinct_in_first = distinct.size();
  }

 private:
  struct Newcomer {
    int64_t arrived;
    int64_t delivered;
  };
  static Admission busy(const BusyHost& h, int64_t at, uint64_t n) {
    return make_record(h.address, h.action, h.outbound, at, n);
  }

  int64_t start_;
  std::vector<Admission> script_;
  size_t next_ = 0;
  std::unordered_map<uint32_t, Newcomer> newcomers_;
  std::vector<std::pair<int64_t, uint32_t>> deliveries_;
};

BurstResult simulate(const Options& options, DeliveryOrder order) {
  const SimSettings settings = sim_settings(options, order, kBudget, kPeriod, kSpoolRoom);
  BurstTraffic traffic(options.burst, options.seed, kStartMs);
  Simulation sim(settings, traffic);
  BurstResult r;
  sim.run_until(kStartMs + kBacklogFrom);
  r.remembered_before_backlog = sim.scheduler().spool().remembered_hosts();
  sim.run_until(kStartMs + kNewcomersAt);
  r.waiting_at_newcomers = sim.scheduler().spool().records();
  sim.run_until(kStartMs + kGiveUp, [&] { return traffic.exhausted() && sim.idle(); });
  if (sim.idle()) r.drained_after_ms = sim.now() - kStartMs;
  traffic.fill(r);
  r.delivered = sim.stats().delivered.value();
  r.new_hosts_reported = sim.stats().new_hosts_reported.value();
  r.limiter = limiter_figures(sim);
  r.anomalies = sim.ledger();
  return r;
}

template <typename F>
std::vector<std::string> row(const std::string& what, const std::array<BurstResult, 2>& r, F f) {
  return {what, f(r[0]), f(r[1])};
}

void print(const Options& options, const std::array<BurstResult, 2>& r) {
  const auto n = options.burst.newcomers;
  Table t({"", order_name(kOrders[0]), order_name(kOrders[1])});
  t.add(row("busy hosts reported before their backlog", r,
            [](auto& x) { return count(x.remembered_before_backlog); }));
  t.add(row("records waiting when the newcomers came", r,
            [](auto& x) { return count(x.waiting_at_newcomers); }));
  t.add(row("newcomers delivered within 20 s", r, [n](auto& x) {
    return fmt::format("{} of {} ({})", x.within, n, percent(x.within / double(n)));
  }));
  t.add(row("newcomer delay p50", r, [](auto& x) { return ms_text(quantile(x.delays, 0.5)); }));
  t.add(row("newcomer delay p95", r, [](auto& x) { return ms_text(quantile(x.delays, 0.95)); }));
  t.add(row("newcomer delay max", r, [](auto& x) { return ms_text(quantile(x.delays, 1.0)); }));
  t.add(row("distinct hosts, first 300 delivered from 60 s", r,
            [](auto& x) { return fmt::format("{} (of {})", x.distinct_in_first, x.first_deliveries); }));
  t.add(row("  most deliveries of one host in a row", r, [](auto& x) { return count(x.longest_run); }));
  t.add(row("spool empty after", r, [](auto& x) { return ms_text(x.drained_after_ms); }));
  t.add(row("records delivered", r, [](auto& x) { return count(x.delivered); }));
  t.add(row("new hosts reported (DeliverStats)", r, [](auto& x) { return count(x.new_hosts_reported); }));
  t.add(row("most requests reaching the API in 1 s", r,
            [](auto& x) { return count(x.limiter.max_in_window); }));
  t.add(row("budget use while a backlog waits", r, [](auto& x) {
    return fmt::format("{} ({} s)", percent(x.limiter.budget_use), x.limiter.backlogged_windows);
  }));
  t.add(row("take() empty / failed admits / commits", r, [](auto& x) {
    return fmt::format("{} / {} / {}", x.anomalies.empty_takes, x.anomalies.failed_admits,
                       x.anomalies.failed_commits);
  }));
  t.print();
}

}  // namespace

void run_burst(const Options& options, Verdicts& verdicts) {
  std::cout << fmt::format(
      "\n== burst: budget {} requests per 1 s, {} in flight, API latency {} ms\n"
      "   4 busy hosts (scanner, second scanner, CDN, DNS resolver) get {} records each delivered at 0 s,\n"
      "   then {} records waiting from 2-10 s; {} new hosts, one record each, arrive at 60-61 s.\n"
      "   spools under {}\n",
      kBudget, options.concurrency, options.latency_ms, kWarmupRecords, count(options.burst.backlog),
      options.burst.newcomers, spool_parent(options.spool_dir, true, kSpoolRoom).string());
  const auto results = for_both_orders<BurstResult>(
      options.parallel, [&](DeliveryOrder order) { return simulate(options, order); });
  print(options, results);
  const BurstResult& hosts_first = results[1];
  const uint32_t n = options.burst.newcomers;
  verdicts.target(hosts_first.within >= 0.95 * n,
                  "burst, hosts first: >= 95% of newcomers delivered within 20 s");
  verdicts.target(hosts_first.distinct_in_first >= std::min<size_t>(150, n + 4),
                  "burst, hosts first: >= 150 distinct hosts in the first 300 deliveries");
  for (size_t i = 0; i < results.size(); ++i) {
    verdicts.target(
        results[i].limiter.max_in_window <= kBudget,
        fmt::format("burst, {}: never more than {} requests in 1 s", order_name(kOrders[i]), kBudget));
  }
}

}  // namespace flowd::delivery_sim
