#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace flowd::delivery_sim {

enum class Scenario { kBurst, kDay, kMemory, kAll };

// Issue 13's operator case: busy hosts already reported, then newcomers.
struct BurstOptions {
  uint32_t backlog = 12'000;  // records of the four busy hosts
  uint32_t newcomers = 150;   // hosts never seen before, one record each
};

// A synthetic day (or several) on the real budget.
struct DayOptions {
  uint64_t records = 2'000'000;  // per day
  uint32_t days = 1;
  std::chrono::milliseconds day_length{86'400'000};
  uint32_t population = 1'000'000;
  double zipf = 1.05;
  double amplitude = 0.6;  // the curve: rate x (1 + amplitude sin), trough 04:00, peak 16:00
  uint64_t spool_size = 1ull << 30;
  std::chrono::milliseconds max_age{86'400'000};
  std::chrono::milliseconds host_memory{86'400'000};
};

// RSS with a long backlog, and the cost of take() over it.
struct MemoryOptions {
  uint64_t records = 5'000'000;
  uint32_t population = 1'000'000;
  uint32_t rate = 20'000;  // records admitted per simulated second, in 100 ms batches
  uint32_t takes = 300;
  uint64_t spool_size = 4ull << 30;
};

struct Options {
  Scenario scenario = Scenario::kAll;
  std::string spool_dir;  // where the runs make their temporary spool directories; "" = see spool_parent()
  bool small = false;
  bool check = false;
  bool parallel = true;
  bool keep = false;  // the spool directories stay  // the two orders of burst and day on two threads
  uint64_t seed = 13;
  uint32_t concurrency = 8;
  int64_t latency_ms = 50;
  BurstOptions burst;
  DayOptions day;
  MemoryOptions memory;
};

// Options from the command line, or the exit code when there is nothing to run
// (0 after --help, 1 after a usage error, printed on stderr).
struct Parsed {
  std::optional<Options> options;
  int exit_code = 0;
};
Parsed parse_options(int argc, char** argv);

}  // namespace flowd::delivery_sim
