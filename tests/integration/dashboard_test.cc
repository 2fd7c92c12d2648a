// The Grafana dashboard shipped in packaging/grafana against a live daemon:
// every metric its queries use exists in /metrics, and that output passes
// `promtool check metrics`.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "daemon_process.h"
#include "decode/hex.h"
#include "decode/v5_vectors.h"
#include "metrics/promtool_check.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::filesystem::path kDashboard =
    std::filesystem::path(FLOWD_SOURCE_DIR) / "packaging/grafana/onefirewall-flowd.json";

json load_dashboard() {
  std::ifstream in(kDashboard);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// Every PromQL expression of the dashboard: panel targets and template variable queries.
std::vector<std::string> dashboard_expressions(const json& dashboard) {
  std::vector<std::string> exprs;
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel["targets"]) exprs.push_back(target.value("expr", ""));
  }
  for (const auto& variable : dashboard["templating"]["list"]) {
    if (variable["type"] == "query") exprs.push_back(variable["query"]["query"].get<std::string>());
  }
  return exprs;
}

std::set<std::string> metric_names_in(const std::string& expr) {
  static const std::regex kName("onefirewall_flowd_[a-zA-Z0-9_]*");
  std::set<std::string> names;
  for (std::sregex_iterator it(expr.begin(), expr.end(), kName), end; it != end; ++it)
    names.insert(it->str());
  return names;
}

// The series names a scrape can return: each sample's name, and each family's
// name with the suffixes its TYPE gives it (a histogram's _bucket, _sum, _count).
std::set<std::string> exposed_names(const std::string& exposition) {
  std::set<std::string> names;
  for (const auto& line : split_lines(exposition)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      const size_t name_end = line.find(' ', 7);
      const std::string name = line.substr(7, name_end - 7);
      const std::string type = line.substr(name_end + 1);
      names.insert(name);
      if (type == "histogram") {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) names.insert(name + suffix);
      }
    } else if (line[0] != '#') {
      names.insert(line.substr(0, line.find_first_of("{ ")));
    }
  }
  return names;
}

// A daemon delivering to an API that refuses connections, so that the delivery
// metrics exist, after two v5 datagrams from a listed exporter.
class LiveDaemon {
 public:
  LiveDaemon() {
    write_file(dir_ / "flowd.yaml", lab_config(dir_.path(), udp_port_, metrics_port_, false,
                                               "exporters: {list: [{address: 127.0.0.1, name: lab-fw}]}\n"));
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{FLOWD_BINARY, "--config", (dir_ / "flowd.yaml").string()}, dir_ / "out",
        dir_ / "err");
  }
  ~LiveDaemon() {
    process_->send_signal(SIGTERM);
    process_->wait_for_exit(10s);
  }
  LiveDaemon(const LiveDaemon&) = delete;
  LiveDaemon& operator=(const LiveDaemon&) = delete;

  // The /metrics body once both datagrams are counted, or "" when that never happens.
  std::string metrics_after_traffic() {
    if (!wait_for_file_containing(dir_ / "err", "metrics on http://", 10s)) return "";
    const auto v5 = test::hex(test::kV5TwoRecords);
    if (!send_udp(udp_port_, {v5, v5})) return "";
    std::string body;
    wait_until(
        [&] {
          const std::string response = http_get(metrics_port_, "/metrics");
          const size_t start = response.find("\r\n\r\n");
          body = start == std::string::npos ? "" : response.substr(start + 4);
          return body.find("onefirewall_flowd_packets_received_total 2\n") != std::string::npos;
        },
        10s);
    return body;
  }
  [[nodiscard]] std::string log() const { return process_->stderr_text(); }

 private:
  TempDir dir_;
  uint16_t udp_port_ = free_udp_port();
  uint16_t metrics_port_ = free_tcp_port();
  std::unique_ptr<ChildProcess> process_;
};

TEST(Dashboard, IsValidJsonWithTheOperatorsPanels) {
  const json dashboard = load_dashboard();
  ASSERT_FALSE(dashboard.is_discarded()) << kDashboard << " is not valid JSON";
  std::set<std::string> titles;
  for (const auto& panel : dashboard["panels"]) {
    titles.insert(panel["title"].get<std::string>());
    EXPECT_FALSE(panel["targets"].empty()) << panel["title"];
    EXPECT_EQ(panel["datasource"]["uid"], "${datasource}") << panel["title"];
  }
  for (const char* required :
       {"Flows/s per exporter", "Decode errors", "Records before and after reduce", "Budget use", "Backlog",
        "Oldest waiting record", "Delivery delay quantiles", "Requests by code", "Dead letters"}) {
    EXPECT_EQ(titles.count(required), 1u) << "no panel titled " << required;
  }
  const auto& variables = dashboard["templating"]["list"];
  EXPECT_TRUE(std::any_of(variables.begin(), variables.end(), [](const json& v) {
    return v["name"] == "datasource" && v["type"] == "datasource" && v["query"] == "prometheus";
  })) << "no Prometheus datasource variable, so the dashboard would not import cleanly";
}

TEST(Dashboard, EveryMetricItsQueriesUseExistsInALiveDaemonsMetrics) {
  const json dashboard = load_dashboard();
  ASSERT_FALSE(dashboard.is_discarded());
  LiveDaemon daemon;
  const std::string metrics = daemon.metrics_after_traffic();
  ASSERT_FALSE(metrics.empty()) << daemon.log();
  const std::set<std::string> exposed = exposed_names(metrics);
  size_t used = 0;
  for (const auto& expr : dashboard_expressions(dashboard)) {
    const auto names = metric_names_in(expr);
    EXPECT_FALSE(names.empty()) << "a query uses no onefirewall_flowd_ metric: " << expr;
    for (const auto& name : names) {
      ++used;
      EXPECT_EQ(exposed.count(name), 1u) << name << " (in " << expr << ") is not in /metrics:\n" << metrics;
    }
  }
  EXPECT_GE(used, 10u);
}

TEST(Dashboard, LiveMetricsPassPromtoolCheckWithNoFindings) {
  const auto promtool = test::find_promtool();
  if (!promtool) GTEST_SKIP() << "promtool not on PATH (Debian package prometheus): live /metrics NOT linted";
  LiveDaemon daemon;
  const std::string metrics = daemon.metrics_after_traffic();
  ASSERT_FALSE(metrics.empty()) << daemon.log();
  const test::PromtoolResult run = test::promtool_check_metrics(*promtool, metrics);
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.output, "") << "--- /metrics ---\n" << metrics;
}

// The expression with Grafana's variables given values Prometheus accepts.
std::string with_variables_filled(std::string expr) {
  for (const auto& [variable, value] :
       {std::pair{"$__rate_interval", "5m"}, std::pair{"$instance", ".*"}}) {
    for (size_t at = expr.find(variable); at != std::string::npos; at = expr.find(variable, at)) {
      expr.replace(at, std::string_view(variable).size(), value);
    }
  }
  return expr;
}

TEST(Dashboard, QueriesAreValidPromQL) {
  const auto promtool = test::find_promtool();
  if (!promtool) GTEST_SKIP() << "promtool not on PATH (Debian package prometheus): PromQL NOT checked";
  const json dashboard = load_dashboard();
  ASSERT_FALSE(dashboard.is_discarded());
  // promtool parses PromQL in recording rules; one rule per expression.
  std::string rules = "groups:\n  - name: dashboard\n    rules:\n";
  int n = 0;
  for (const auto& expr : dashboard_expressions(dashboard)) {
    if (expr.rfind("label_values(", 0) == 0) continue;  // Grafana's own function, not PromQL
    std::string quoted = with_variables_filled(expr);
    for (size_t at = quoted.find('\''); at != std::string::npos; at = quoted.find('\'', at + 2)) {
      quoted.insert(at, 1, '\'');
    }
    rules += "      - record: dashboard:query" + std::to_string(++n) + "\n        expr: '" + quoted + "'\n";
  }
  TempDir dir;
  write_file(dir / "rules.yaml", rules);
  const test::PromtoolResult run =
      test::promtool_run(*promtool, "check rules " + (dir / "rules.yaml").string());
  EXPECT_EQ(run.status, 0) << run.output << "\n--- rules ---\n" << rules;
}

}  // namespace
}  // namespace flowd::itest
