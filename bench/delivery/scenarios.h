#pragma once

#include <array>
#include <exception>
#include <thread>

#include "options.h"
#include "report.h"
#include "simulation.h"

namespace flowd::delivery_sim {

// run(order) for both orders (arrival first), on two threads when `parallel`:
// each has its own spool, scheduler and limiter.
template <typename Result, typename Run>
std::array<Result, 2> for_both_orders(bool parallel, const Run& run) {
  std::array<Result, 2> results;
  if (!parallel) {
    for (size_t i = 0; i < kOrders.size(); ++i) results[i] = run(kOrders[i]);
    return results;
  }
  std::array<std::exception_ptr, 2> errors;
  auto one = [&](size_t i) {
    try {
      results[i] = run(kOrders[i]);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  std::thread arrival(one, 0);
  one(1);
  arrival.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return results;
}

// The settings both burst and day share: the order, the budget and the simulated API.
inline SimSettings sim_settings(const Options& options, DeliveryOrder order, uint32_t budget,
                                std::chrono::milliseconds period, uint64_t spool_room) {
  SimSettings settings;
  settings.order = order;
  settings.budget = budget;
  settings.period = period;
  settings.concurrency = options.concurrency;
  settings.latency_ms = options.latency_ms;
  settings.spool_parent = spool_parent(options.spool_dir, true, spool_room);
  return settings;
}

void run_burst(const Options& options, Verdicts& verdicts);
void run_day(const Options& options, Verdicts& verdicts);
void run_memory(const Options& options, Verdicts& verdicts);

}  // namespace flowd::delivery_sim
