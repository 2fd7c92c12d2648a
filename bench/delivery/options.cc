#include "options.h"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "onefirewall_flowd/config/units.h"

namespace flowd::delivery_sim {
namespace {

constexpr const char* kUsage = R"(usage: flowd-delivery-sim [options]
Simulates delivery with the real DeliveryScheduler, SQLite spool and RateLimiter on a
simulated clock (no network): every scenario runs with the arrival order (FIFO, the old
behaviour) and the hosts-first order, side by side.
  --scenario burst|day|memory|all   (default all)
  --small                  a CI smoke run: day and memory scaled down, burst at full size
  --check                  exit 1 if a target is missed (each miss is named)
  --sequential             run the two orders one after the other (default: two threads)
  --keep                   keep the spool directories (named at the end) for a look
  --spool-dir DIR          where each run makes its temporary spool directory (default: /dev/shm
                           for burst and day when it has room, else $TMPDIR or /tmp)
  --seed N                 (default 13)
  --concurrency N          requests in flight (default 8)
  --latency DURATION       the simulated API's answer time (default 50ms)
 burst:
  --burst-backlog N        records of the four busy hosts (default 12000)
  --burst-newcomers N      new hosts, one record each, within 1 s (default 150)
 day:
  --records N              records per day (default 2000000)
  --days N                 days simulated, the curve repeated (default 1)
  --day-length DURATION    length of one day of the curve (default 24h)
  --population N           external hosts to draw from (default 1000000)
  --zipf S                 the draw's exponent (default 1.05)
  --amplitude A            rate x (1 + A sin), trough 04:00, peak 16:00 (default 0.6)
  --spool-size SIZE        spool.max_size (default 1GiB)
  --max-age DURATION       api.max_age (default 24h; 0 keeps records)
  --host-memory DURATION   api.host_memory (default 24h)
 memory:
  --memory-records N       records admitted with no delivery (default 5000000)
  --memory-population N    external hosts to draw from (default 1000000)
  --memory-rate N          records admitted per simulated second (default 20000)
  --takes N                take+delivered+commit cycles timed over the backlog (default 300)
  --memory-spool-size SIZE (default 4GiB)
)";

using Setter = std::function<bool(Options&, std::string_view)>;

template <typename T>
bool parse_int(std::string_view text, T& out, T min = 1) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min) return false;
  out = value;
  return true;
}

bool parse_double(std::string_view text, double& out, double min, double max) {
  const std::string s(text);
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(value >= min && value <= max)) return false;
  out = value;
  return true;
}

bool parse_ms(std::string_view text, std::chrono::milliseconds& out, bool zero_ok) {
  const auto value = parse_duration(text);
  if (!value || (!zero_ok && value->count() <= 0)) return false;
  out = *value;
  return true;
}

bool parse_bytes(std::string_view text, uint64_t& out) {
  const auto value = parse_size(text);
  if (!value || *value == 0) return false;
  out = *value;
  return true;
}

bool parse_scenario(std::string_view v, Scenario& out) {
  static const std::map<std::string_view, Scenario> kNames{{"burst", Scenario::kBurst},
                                                           {"day", Scenario::kDay},
                                                           {"memory", Scenario::kMemory},
                                                           {"all", Scenario::kAll}};
  const auto it = kNames.find(v);
  if (it == kNames.end()) return false;
  out = it->second;
  return true;
}

const std::map<std::string_view, Setter>& setters() {
  using O = Options;
  using V = std::string_view;
  static const std::map<std::string_view, Setter> kSetters{
      {"--scenario", [](O& o, V v) { return parse_scenario(v, o.scenario); }},
      {"--seed", [](O& o, V v) { return parse_int<uint64_t>(v, o.seed, 0); }},
      {"--spool-dir",
       [](O& o, V v) {
         o.spool_dir = std::string(v);
         return !v.empty();
       }},
      {"--concurrency", [](O& o, V v) { return parse_int(v, o.concurrency); }},
      {"--latency",
       [](O& o, V v) {
         std::chrono::milliseconds ms{};
         if (!parse_ms(v, ms, true)) return false;
         o.latency_ms = ms.count();
         return true;
       }},
      {"--burst-backlog", [](O& o, V v) { return parse_int(v, o.burst.backlog); }},
      {"--burst-newcomers", [](O& o, V v) { return parse_int(v, o.burst.newcomers); }},
      {"--records", [](O& o, V v) { return parse_int(v, o.day.records); }},
      {"--days", [](O& o, V v) { return parse_int(v, o.day.days); }},
      {"--day-length", [](O& o, V v) { return parse_ms(v, o.day.day_length, false); }},
      {"--population",
       [](O& o, V v) { return parse_int(v, o.day.population) && o.day.population <= (1u << 24); }},
      {"--zipf", [](O& o, V v) { return parse_double(v, o.day.zipf, 0.0, 5.0); }},
      {"--amplitude", [](O& o, V v) { return parse_double(v, o.day.amplitude, 0.0, 1.0); }},
      {"--spool-size", [](O& o, V v) { return parse_bytes(v, o.day.spool_size); }},
      {"--max-age", [](O& o, V v) { return parse_ms(v, o.day.max_age, true); }},
      {"--host-memory", [](O& o, V v) { return parse_ms(v, o.day.host_memory, false); }},
      {"--memory-records", [](O& o, V v) { return parse_int(v, o.memory.records); }},
      {"--memory-population",
       [](O& o, V v) { return parse_int(v, o.memory.population) && o.memory.population <= (1u << 24); }},
      {"--memory-rate", [](O& o, V v) { return parse_int(v, o.memory.rate); }},
      {"--takes", [](O& o, V v) { return parse_int(v, o.memory.takes); }},
      {"--memory-spool-size", [](O& o, V v) { return parse_bytes(v, o.memory.spool_size); }},
  };
  return kSetters;
}

// The smoke preset: small enough for a Debug+ASan build on two cores.
void apply_small(Options& o) {
  o.small = true;
  o.day.records = 40'000;
  o.day.day_length = std::chrono::minutes(30);
  o.day.population = 50'000;
  o.memory.records = 200'000;
  o.memory.takes = 100;
}

Parsed usage_error(const std::string& why) {
  std::cerr << "flowd-delivery-sim: " << why << "\n" << kUsage;
  return {std::nullopt, 1};
}

}  // namespace

Parsed parse_options(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  Options options;
  for (const auto arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return {std::nullopt, 0};
    }
    if (arg == "--small") apply_small(options);  // first, so that explicit knobs win
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--small") continue;
    if (arg == "--check") {
      options.check = true;
      continue;
    }
    if (arg == "--sequential") {
      options.parallel = false;
      continue;
    }
    if (arg == "--keep") {
      options.keep = true;
      continue;
    }
    const auto it = setters().find(arg);
    if (it == setters().end()) return usage_error("unknown option " + std::string(arg));
    if (i + 1 == args.size()) return usage_error(std::string(arg) + " needs a value");
    const std::string_view value = args[++i];
    if (!it->second(options, value))
      return usage_error("bad value for " + std::string(arg) + ": " + std::string(value));
  }
  return {options, 0};
}

}  // namespace flowd::delivery_sim
