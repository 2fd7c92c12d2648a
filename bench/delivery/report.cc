#include "report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>

namespace flowd::delivery_sim {

const char* order_name(DeliveryOrder order) {
  return order == DeliveryOrder::kArrival ? "arrival (FIFO)" : "hosts first";
}

void Table::print() const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows_) {
    std::string line = " ";
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - row[i].size(), ' ');
      line += i == 0 ? row[i] + pad : "  " + pad + row[i];
    }
    std::cout << line << "\n";
  }
}

LimiterFigures limiter_figures(const Simulation& sim) {
  const SimSettings& s = sim.settings();
  const Ledger& ledger = sim.ledger();
  LimiterFigures f;
  f.requests = ledger.starts.size();
  // Starts never decrease, and every request takes as long to reach the API.
  const int64_t trip = s.latency_ms / 2;
  const int64_t period = s.period.count();
  size_t first = 0;
  for (size_t i = 0; i < ledger.starts.size(); ++i) {
    while (ledger.starts[i] + trip - (ledger.starts[first] + trip) >= period) ++first;
    f.max_in_window = std::max<uint32_t>(f.max_in_window, static_cast<uint32_t>(i - first + 1));
  }
  // Only whole periods: the last one may be cut short by the end of the run.
  const size_t whole = static_cast<size_t>((sim.now() - sim.start()) / period);
  uint64_t requests = 0;
  f.min_budget_use = 1e9;
  for (size_t w = 0; w < std::min(whole, ledger.windows.size()); ++w) {
    if (!ledger.windows[w].backlogged) continue;
    ++f.backlogged_windows;
    requests += ledger.windows[w].requests;
    f.min_budget_use = std::min(f.min_budget_use, ledger.windows[w].requests / static_cast<double>(s.budget));
  }
  if (f.backlogged_windows == 0) {
    f.min_budget_use = 0;
    return f;
  }
  f.budget_use = static_cast<double>(requests) / static_cast<double>(f.backlogged_windows * s.budget);
  return f;
}

int64_t quantile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return kNever;
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

std::string ms_text(int64_t ms) {
  if (ms == kNever) return "never";
  if (ms < 1000) return fmt::format("{} ms", ms);
  if (ms < 120'000) return fmt::format("{:.1f} s", ms / 1e3);
  if (ms < 7'200'000) return fmt::format("{:.1f} min", ms / 6e4);
  return fmt::format("{:.1f} h", ms / 3.6e6);
}

std::string percent(double share) {
  return fmt::format("{:.1f}%", 100 * share);
}

std::string mib(uint64_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
}

std::string count(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string verdict(bool ok) {
  return ok ? "yes" : "NO";
}

void Verdicts::target(bool met, const std::string& what) {
  std::cout << "  target " << what << ": " << (met ? "met" : "MISSED") << "\n";
  if (!met) misses_.push_back(what);
}

}  // namespace flowd::delivery_sim
