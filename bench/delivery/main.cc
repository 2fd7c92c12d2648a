// flowd-delivery-sim: the delivery order measured on a simulated clock (issue 13).
// Run: ./build/release/bench/delivery/flowd-delivery-sim --scenario all
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <exception>
#include <iostream>

#include "scenarios.h"

namespace {

using namespace flowd::delivery_sim;

void timed(const char* name, void (*scenario)(const Options&, Verdicts&), const Options& options,
           Verdicts& verdicts) {
  const auto began = std::chrono::steady_clock::now();
  scenario(options, verdicts);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::cout << fmt::format("   ({} took {:.1f} s of real time)\n", name, seconds);
}

void on_signal(int) {
  request_interrupt();
}

}  // namespace

int main(int argc, char** argv) {
  const Parsed parsed = parse_options(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  const Options& options = *parsed.options;
  std::cout << fmt::format("flowd-delivery-sim{}: simulated clock from Unix ms {}, seed {}\n",
                           options.small ? " --small" : "", kStartMs, options.seed);
  if (options.keep) TempDir::keep_all();
  Verdicts verdicts;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    const bool all = options.scenario == Scenario::kAll;
    if (all || options.scenario == Scenario::kBurst) timed("burst", run_burst, options, verdicts);
    if (all || options.scenario == Scenario::kDay) timed("day", run_day, options, verdicts);
    if (all || options.scenario == Scenario::kMemory) timed("memory", run_memory, options, verdicts);
  } catch (const std::exception& e) {
    std::cerr << "flowd-delivery-sim: " << e.what() << "\n";
    return 2;
  }
  if (verdicts.misses().empty()) {
    std::cout << "\nall targets met\n";
    return 0;
  }
  std::cout << "\ntargets missed:\n";
  for (const auto& miss : verdicts.misses()) std::cout << "  " << miss << "\n";
  return options.check ? 1 : 0;
}
