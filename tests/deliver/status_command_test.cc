// `onefirewall-flowd status` against the daemon binary delivering to the
// strict local HTTPS API, in each state it reports: healthy, paused on a
// refused token, API unreachable, not running, and a listed exporter silent.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "delivery_fixture.h"
#include "flowd_daemon.h"
#include "metrics/promtool_check.h"
#include "v5_datagram.h"

namespace flowd::testing {
namespace {

struct StatusRun {
  int code = -1;
  std::string out;
};

class StatusCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("ONEFIREWALL_TOKEN");
    ::unsetenv("CREDENTIALS_DIRECTORY");
    server_ = std::make_unique<TestApiServer>(dir_.path(), ApiServerOptions{kToken, 15, 1000ms});
    write_token(kToken);
    port_ = itest::free_udp_port();
    metrics_port_ = itest::free_tcp_port();
    write_config("", "1m");
  }

  // `extra_exporters` adds entries to exporters.list.
  void write_config(const std::string& extra_exporters, const std::string& silent_after) {
    itest::write_file(dir_ / "flowd.yaml",
                      "listen: [\"127.0.0.1:" + std::to_string(port_) + "\"]\n" +
                          "metrics: {listen: \"127.0.0.1:" + std::to_string(metrics_port_) + "\"}\n" +
                          "exporters:\n  silent_after: " + silent_after +
                          "\n  list:\n    - {address: 127.0.0.1, name: edge-fw-1}\n" + extra_exporters +
                          "spool: {path: " + (dir_ / "spool").string() + "}\n" +
                          "api:\n  url: " + server_->url() + "\n  token_file: " + (dir_ / "token").string() +
                          "\n  rate_limit: {requests: 15, period: 1s}\n  timeout: 2s\n  ca_file: " +
                          server_->ca_file() + "\n");
  }

  void write_token(const std::string& token) { write_token_file(dir_ / "token", token); }

  std::unique_ptr<itest::ChildProcess> start_daemon() {
    return start_flowd(dir_ / "flowd.yaml", dir_ / "daemon.out", dir_ / "daemon.err");
  }

  StatusRun run_status(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{FLOWD_BINARY, "status", "--config", (dir_ / "flowd.yaml").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto n = std::to_string(++status_runs_);
    itest::ChildProcess status(argv, dir_ / ("status" + n + ".out"), dir_ / ("status" + n + ".err"));
    const auto exit = status.wait_for_exit(20s);
    EXPECT_TRUE(exit.exited) << exit.describe();
    return {exit.code, status.stdout_text() + status.stderr_text()};
  }

  // Waits until /metrics has `metric_line`.
  bool wait_for_metric(const std::string& metric_line) {
    return wait_for(
        [&] { return itest::http_get(metrics_port_, "/metrics").find(metric_line) != std::string::npos; },
        15s);
  }

  static constexpr const char* kToken = "Bearer STATUS-SECRET-5e1d";
  itest::TempDir dir_;
  std::unique_ptr<TestApiServer> server_;
  uint16_t port_ = 0;
  uint16_t metrics_port_ = 0;
  int status_runs_ = 0;
};

TEST_F(StatusCommandTest, HealthyDeliveringDaemonExitsZero) {
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 30);
  ASSERT_TRUE(wait_for([&] { return all_accepted(*server_, record_bodies(0, 30)); }, 15s))
      << daemon->stderr_text();
  const StatusRun run = run_status();
  EXPECT_EQ(run.code, 0) << run.out;
  EXPECT_NE(run.out.find("onefirewall-flowd 0."), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("edge-fw-1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Delivery: delivering"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Status: healthy"), std::string::npos) << run.out;
}

TEST_F(StatusCommandTest, RefusedTokenExitsOneAndNamesThePause) {
  write_token("Bearer STALE-SECRET-0000");
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 10);
  ASSERT_TRUE(wait_for_metric("onefirewall_flowd_delivery_state{state=\"paused\"} 1\n"))
      << daemon->stderr_text();
  const StatusRun run = run_status();
  EXPECT_EQ(run.code, 1) << run.out;
  EXPECT_NE(run.out.find("Delivery: paused"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("last error: HTTP 401"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Status: DEGRADED"), std::string::npos) << run.out;
}

TEST_F(StatusCommandTest, UnreachableApiExitsOneAndNamesIt) {
  server_->set_down(true);
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 10);
  ASSERT_TRUE(wait_for_metric("onefirewall_flowd_delivery_state{state=\"unreachable\"} 1\n"))
      << daemon->stderr_text();
  const StatusRun run = run_status();
  EXPECT_EQ(run.code, 1) << run.out;
  EXPECT_NE(run.out.find("Delivery: unreachable"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("last error: no answer: connect"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Backlog: 10 records"), std::string::npos) << run.out;
}

TEST_F(StatusCommandTest, ThrottlingApiExitsOneAndNamesIt) {
  std::string config = itest::read_file(dir_ / "flowd.yaml");
  config.replace(config.find("requests: 15"), 12, "requests: 60");  // four times what the API allows
  itest::write_file(dir_ / "flowd.yaml", config);
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 300);
  ASSERT_TRUE(wait_for_metric("onefirewall_flowd_delivery_state{state=\"throttled\"} 1\n"))
      << daemon->stderr_text();
  const StatusRun run = run_status();
  EXPECT_EQ(run.code, 1) << run.out;
  EXPECT_NE(run.out.find("Delivery: throttled"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("last error: HTTP 429"), std::string::npos) << run.out;
}

// The metrics `status` reads (build_info, start time, last heard, silent
// exporters, delivery state, last error) as a live daemon writes them.
TEST_F(StatusCommandTest, TheMetricsStatusReadsPassPromtool) {
  const auto promtool = test::find_promtool();
  if (!promtool) GTEST_SKIP() << "promtool not on PATH (Debian package prometheus); exposition not linted";
  server_->set_down(true);
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 10);
  ASSERT_TRUE(wait_for_metric("onefirewall_flowd_delivery_last_error_seconds{error=\"no answer: connect\"}"));
  const std::string response = itest::http_get(metrics_port_, "/metrics");
  for (const char* name : {"build_info{", "start_time_seconds ", "exporter_last_heard_seconds{",
                           "exporters_silent ", "delivery_state{"}) {
    EXPECT_NE(response.find(std::string("onefirewall_flowd_") + name), std::string::npos) << name;
  }
  const test::PromtoolResult run =
      test::promtool_check_metrics(*promtool, response.substr(response.find("\r\n\r\n") + 4));
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.output, "");
}

TEST_F(StatusCommandTest, NoDaemonExitsThreeNamingTheEndpoint) {
  const StatusRun run = run_status();
  EXPECT_EQ(run.code, 3) << run.out;
  EXPECT_NE(run.out.find("not running"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("127.0.0.1:" + std::to_string(metrics_port_)), std::string::npos) << run.out;
  const auto json = nlohmann::json::parse(run_status({"--json"}).out);
  EXPECT_EQ(json["running"], false);
}

TEST_F(StatusCommandTest, AnUnreadableConfigExitsFour) {
  write_config("", "0s");
  const StatusRun run = run_status();
  EXPECT_EQ(run.code, 4) << run.out;
  EXPECT_NE(run.out.find("exporters.silent_after"), std::string::npos) << run.out;
}

TEST_F(StatusCommandTest, JsonParsesAndCarriesEverySection) {
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 30);
  ASSERT_TRUE(wait_for([&] { return all_accepted(*server_, record_bodies(0, 30)); }, 15s))
      << daemon->stderr_text();
  const StatusRun run = run_status({"--json"});
  EXPECT_EQ(run.code, 0) << run.out;
  const auto json = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << run.out;
  EXPECT_EQ(json["running"], true);
  EXPECT_EQ(json["healthy"], true);
  EXPECT_GT(json["uptime_seconds"].get<int64_t>(), -1);
  ASSERT_EQ(json["exporters"].size(), 1u) << run.out;
  EXPECT_EQ(json["exporters"][0]["name"], "edge-fw-1");
  EXPECT_EQ(json["exporters"][0]["address"], "127.0.0.1");
  EXPECT_GT(json["exporters"][0]["last_heard"].get<int64_t>(), 0);
  EXPECT_EQ(json["delivery"]["state"], "delivering");
  EXPECT_EQ(json["backlog"]["records"], 0);
  for (const char* key : {"version", "decode_errors", "records_per_second", "problems"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
}

TEST_F(StatusCommandTest, AListedExporterNeverHeardFromIsShownAndDegrades) {
  write_config("    - {address: 192.0.2.77, name: quiet-fw}\n", "2s");
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 10);
  ASSERT_TRUE(wait_for([&] { return all_accepted(*server_, record_bodies(0, 10)); }, 15s))
      << daemon->stderr_text();
  std::this_thread::sleep_for(3s);  // past exporters.silent_after since the start
  send_v5_flows(port_, 10, 11);     // edge-fw-1 keeps talking
  ASSERT_TRUE(wait_for_metric("onefirewall_flowd_exporter_flows_total{exporter=\"127.0.0.1\"} 11\n"));
  EXPECT_NE(itest::http_get(metrics_port_, "/metrics").find("onefirewall_flowd_exporters_silent 1\n"),
            std::string::npos);
  const StatusRun run = run_status();
  EXPECT_EQ(run.code, 1) << run.out;
  EXPECT_NE(run.out.find("quiet-fw             192.0.2.77"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("listed exporter quiet-fw (192.0.2.77) never heard from"), std::string::npos)
      << run.out;
}

// The summary comes once a minute, so this test waits a little over one.
TEST_F(StatusCommandTest, TheMinuteSummaryNamesASilentListedExporter) {
  write_config("    - {address: 192.0.2.77, name: quiet-fw}\n", "2s");
  auto daemon = start_daemon();
  const std::string line =
      "exporters silent for longer than exporters.silent_after: edge-fw-1 (127.0.0.1) never heard, quiet-fw "
      "(192.0.2.77) never heard";
  EXPECT_TRUE(itest::wait_for_file_containing(daemon->stderr_path(), line, 75s)) << daemon->stderr_text();
}

}  // namespace
}  // namespace flowd::testing
