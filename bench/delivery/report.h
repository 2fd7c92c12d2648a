#pragma once

// Figures common to the scenarios and a plain-text table to print them side by side.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "simulation.h"

namespace flowd::delivery_sim {

constexpr int64_t kNever = INT64_MAX;  // a delay that never ended within the run

// The two orders, in the column order of every report.
constexpr std::array<DeliveryOrder, 2> kOrders{DeliveryOrder::kArrival, DeliveryOrder::kHostsFirst};
[[nodiscard]] const char* order_name(DeliveryOrder order);

// Aligned columns; the first is left-aligned, the others right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// The rate limit as the simulated API saw it.
struct LimiterFigures {
  uint64_t requests = 0;
  uint32_t max_in_window = 0;  // most requests reaching the API in any sliding period
  uint64_t backlogged_windows = 0;
  double budget_use = 0;      // requests / budget over the periods with a backlog throughout
  double min_budget_use = 0;  // the least such period
};
// Requests reach the simulated API half its latency after they start.
[[nodiscard]] LimiterFigures limiter_figures(const Simulation& sim);

// The p-quantile (0..1) of sorted values, nearest rank; kNever when empty.
[[nodiscard]] int64_t quantile(const std::vector<int64_t>& sorted, double p);
[[nodiscard]] std::string ms_text(int64_t ms);    // "850 ms", "12.3 s", "2.1 h", "never"
[[nodiscard]] std::string percent(double share);  // "99.3%"
[[nodiscard]] std::string mib(uint64_t bytes);
[[nodiscard]] std::string count(uint64_t n);  // "1,234,567"
// "yes"/"NO" and whether it holds, for the check lines.
[[nodiscard]] std::string verdict(bool ok);

// Targets missed by this run, printed at the end and behind --check.
class Verdicts {
 public:
  // Notes a target and prints "target ...: met/MISSED".
  void target(bool met, const std::string& what);
  [[nodiscard]] const std::vector<std::string>& misses() const { return misses_; }

 private:
  std::vector<std::string> misses_;
};

}  // namespace flowd::delivery_sim
