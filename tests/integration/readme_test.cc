// README.md is the operator's manual: it names every metric a live daemon
// serves, and its test command is the one CI runs.
#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "daemon_process.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kSourceDir{FLOWD_SOURCE_DIR};

// The metric families of Prometheus text, from their "# TYPE" lines, without the prefix.
std::set<std::string> metric_families(const std::string& exposition) {
  const std::string type_line = "# TYPE onefirewall_flowd_";
  std::set<std::string> names;
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with(type_line)) continue;
    const std::string rest = line.substr(type_line.size());
    names.insert(rest.substr(0, rest.find(' ')));
  }
  return names;
}

// The families a started daemon serves: in --dry-run, or delivering to an API that refuses
// connections.
std::set<std::string> served_families(bool dry_run) {
  TempDir dir;
  const uint16_t metrics_port = free_tcp_port();
  const std::string config = lab_config(dir.path(), free_udp_port(), metrics_port, dry_run);
  write_file(dir / "flowd.yaml", config);
  std::vector<std::string> argv{FLOWD_BINARY, "--config", (dir / "flowd.yaml").string()};
  if (dry_run) argv.push_back("--dry-run");
  ChildProcess daemon(argv, dir / "out", dir / "err");
  if (!wait_for_file_containing(dir / "err", "metrics on http://", 10s)) {
    ADD_FAILURE() << daemon.stderr_text();
    return {};
  }
  const std::string exposition = http_get(metrics_port, "/metrics");
  daemon.send_signal(SIGTERM);
  EXPECT_TRUE(daemon.wait_for_exit(10s).exited);
  return metric_families(exposition);
}

bool names_metric(const std::string& readme, const std::string& family) {
  return readme.find("`" + family + "`") != std::string::npos ||
         readme.find("`" + family + "{") != std::string::npos;
}

TEST(Readme, NamesEveryMetricALiveDaemonServes) {
  const std::string readme = read_file(kSourceDir / "README.md");
  ASSERT_FALSE(readme.empty());
  for (const bool dry_run : {true, false}) {
    const std::set<std::string> families = served_families(dry_run);
    EXPECT_GT(families.size(), 10U) << "dry_run " << dry_run;
    for (const std::string& family : families) {
      EXPECT_TRUE(names_metric(readme, family))
          << "`" << family << "` is served (dry_run " << dry_run << ") but README.md does not name it";
    }
  }
}

TEST(Readme, TestCommandIsTheOneCiRuns) {
  const std::vector<std::string> ci = split_lines(read_file(kSourceDir / ".ci" / "run"));
  ASSERT_FALSE(ci.empty());
  const std::string& test_command = ci.back();
  const std::string readme = read_file(kSourceDir / "README.md");
  EXPECT_NE(readme.find("\n" + test_command + "\n"), std::string::npos)
      << "README.md lacks the line .ci/run ends with: " << test_command;
}

}  // namespace
}  // namespace flowd::itest
