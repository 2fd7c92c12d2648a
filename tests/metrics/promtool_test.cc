#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "onefirewall_flowd/core/histogram.h"
#include "onefirewall_flowd/metrics/metrics_writer.h"

namespace flowd {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> find_on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::string_view rest(path);
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const fs::path candidate = fs::path(rest.substr(0, colon)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  return std::nullopt;
}

struct CheckResult {
  int status;
  std::string output;
};

// Runs `promtool check metrics` on text given on its standard input.
CheckResult check_metrics(const fs::path& promtool, const std::string& text) {
  const fs::path input =
      fs::temp_directory_path() / ("flowd_promtool_" + std::to_string(::getpid()) + ".prom");
  std::ofstream(input) << text;
  const std::string command = promtool.string() + " check metrics < " + input.string() + " 2>&1";
  CheckResult run{-1, {}};
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 512> buf;
    while (const size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) run.output.append(buf.data(), n);
    const int raw = ::pclose(pipe);
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }
  fs::remove(input);
  return run;
}

TEST(Promtool, FindsNothingWrongWithACounterAGaugeAndAHistogram) {
  const auto promtool = find_on_path("promtool");
  if (!promtool) GTEST_SKIP() << "promtool not on PATH (Debian package prometheus); exposition not linted";
  Histogram h({0.005, 0.1, 1, 60, 86400});
  for (const double v : {0.001, 0.1, 0.7, 30.0, 100000.0}) h.observe(v);
  MetricsWriter w;
  w.counter("flows_decoded_total", "Flow records decoded.", 42);
  w.gauge("queue_depth", "Records waiting to be delivered.", 0.5);
  w.histogram("delivery_duration_seconds", "Time to deliver a batch.", h.snapshot());
  const CheckResult run = check_metrics(*promtool, w.text());
  EXPECT_EQ(run.status, 0) << run.output << "\n--- input ---\n" << w.text();
  EXPECT_EQ(run.output, "") << w.text();
}

}  // namespace
}  // namespace flowd
