// The daemon binary delivering to the strict local HTTPS API: restarts,
// kill -9, a refused token fixed with SIGHUP, and no token in any log.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "delivery_fixture.h"
#include "flowd_daemon.h"
#include "v5_datagram.h"

namespace flowd::testing {
namespace {

class DaemonDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("ONEFIREWALL_TOKEN");
    ::unsetenv("CREDENTIALS_DIRECTORY");
    server_ = std::make_unique<TestApiServer>(dir_.path(), ApiServerOptions{kGoodToken, 15, 1000ms});
    write_token(kGoodToken);
    port_ = itest::free_udp_port();
    metrics_port_ = itest::free_tcp_port();
    itest::write_file(dir_ / "flowd.yaml", config_text());
  }
  void TearDown() override {
    EXPECT_EQ(server_->contract_violations(), 0u) << ::testing::PrintToString(server_->violation_reasons());
  }

  std::string config_text() const {
    return "listen: [\"127.0.0.1:" + std::to_string(port_) + "\"]\n" +
           "metrics: {listen: \"127.0.0.1:" + std::to_string(metrics_port_) + "\"}\n" +
           "exporters:\n  list:\n    - {address: 127.0.0.1, name: edge-fw-1}\n" +
           "spool: {path: " + (dir_ / "spool").string() + "}\n" + "api:\n  url: " + server_->url() +
           "\n  token_file: " + (dir_ / "token").string() +
           "\n  rate_limit: {requests: 15, period: 1s}\n  concurrency: 8\n  timeout: 5s\n" +
           "  ca_file: " + server_->ca_file() + "\nlog: {level: debug}\n";
  }

  // The API comes back and a fresh daemon delivers flows [0, n) from the spool.
  void expect_restart_delivers(int n) {
    server_->set_down(false);
    auto second = start_daemon();
    const auto expected = record_bodies(0, n);
    EXPECT_TRUE(wait_for([&] { return all_accepted(*server_, expected); }, 20s)) << second->stderr_text();
    second->send_signal(SIGTERM);
    EXPECT_TRUE(second->wait_for_exit(10s).exited);
  }

  void write_token(const std::string& token) { write_token_file(dir_ / "token", token); }

  // Starts the daemon and waits until it listens.
  std::unique_ptr<itest::ChildProcess> start_daemon() {
    const auto n = std::to_string(++runs_);
    return start_flowd(dir_ / "flowd.yaml", dir_ / ("out" + n), dir_ / ("err" + n));
  }

  // Every log line of every run so far.
  std::string all_logs() const {
    std::string text;
    for (int i = 1; i <= runs_; ++i) text += itest::read_file(dir_ / ("err" + std::to_string(i)));
    return text;
  }

  static constexpr const char* kGoodToken = "Bearer GOOD-SECRET-7f3a";
  itest::TempDir dir_;
  std::unique_ptr<TestApiServer> server_;
  uint16_t port_ = 0;
  uint16_t metrics_port_ = 0;
  int runs_ = 0;
};

TEST_F(DaemonDeliveryTest, DeliversWhatItReceives) {
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 30);
  const auto expected = record_bodies(0, 30);
  EXPECT_TRUE(wait_for([&] { return all_accepted(*server_, expected); }, 15s)) << daemon->stderr_text();
  // The delivery counters on /metrics follow what the API accepted.
  std::string metrics;
  EXPECT_TRUE(wait_for(
      [&] {
        metrics = itest::http_get(metrics_port_, "/metrics");
        // The depth gauge and the counter are separate reads: wait for both.
        return metrics.find("onefirewall_flowd_records_delivered_total 30\n") != std::string::npos &&
               metrics.find("onefirewall_flowd_queue_depth 0\n") != std::string::npos;
      },
      5s))
      << metrics;
  EXPECT_NE(metrics.find("onefirewall_flowd_requests_total{code=\"201\"} 30\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("onefirewall_flowd_delivery_rate_limit 15\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("onefirewall_flowd_delivery_throttled_total 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("onefirewall_flowd_records_dropped_total{reason=\"queue_full\"} 0\n"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(itest::http_get(metrics_port_, "/healthz").rfind("HTTP/1.1 200 OK", 0), 0u);
  daemon->send_signal(SIGTERM);
  const auto status = daemon->wait_for_exit(10s);
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
  EXPECT_NE(daemon->stderr_text().find("delivered 30"), std::string::npos) << daemon->stderr_text();
}

// Full scale, with the daemon's own backoff (0.5 s doubling to 30 s): the
// records wait out the outage and all arrive once the API is back.
TEST_F(DaemonDeliveryTest, AThirtySecondOutageLosesNothing) {
  server_->set_down(true);
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 60);
  std::this_thread::sleep_for(30s);
  EXPECT_TRUE(server_->requests().empty());
  server_->set_down(false);
  const auto expected = record_bodies(0, 60);
  // The longest backoff is 30 s, so the first retry comes within it.
  EXPECT_TRUE(wait_for([&] { return all_accepted(*server_, expected); }, 45s)) << daemon->stderr_text();
  daemon->send_signal(SIGTERM);
  EXPECT_TRUE(daemon->wait_for_exit(10s).exited);
}

TEST_F(DaemonDeliveryTest, GracefulRestartDuringAnOutageLosesNothing) {
  server_->set_down(true);
  auto first = start_daemon();
  send_v5_flows(port_, 0, 60);
  ASSERT_TRUE(itest::wait_for_file_containing(first->stderr_path(), "delivery failed", 10s))
      << first->stderr_text();
  // Both datagrams decoded before the stop, so that the backlog line below is exact.
  ASSERT_TRUE(wait_for(
      [&] {
        return itest::http_get(metrics_port_, "/metrics")
                   .find("onefirewall_flowd_flows_decoded_total 60\n") != std::string::npos;
      },
      10s));
  const auto t0 = std::chrono::steady_clock::now();
  first->send_signal(SIGTERM);
  const auto status = first->wait_for_exit(10s);
  const auto stop_time = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
  EXPECT_LT(stop_time, 3s);
  std::printf(
      "graceful stop took %lld ms\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(stop_time).count()));
  EXPECT_NE(first->stderr_text().find("backlog 60 records of 60 hosts"), std::string::npos)
      << first->stderr_text();

  expect_restart_delivers(60);
}

TEST_F(DaemonDeliveryTest, Kill9DuringAnOutageLosesNothingQueuedASecondBefore) {
  server_->set_down(true);
  auto first = start_daemon();
  send_v5_flows(port_, 0, 60);
  std::this_thread::sleep_for(1100ms);
  first->send_signal(SIGKILL);
  const auto status = first->wait_for_exit(5s);
  EXPECT_EQ(status.signal, SIGKILL) << status.describe();

  expect_restart_delivers(60);
}

TEST_F(DaemonDeliveryTest, ADamagedSpoolIsMovedAsideAndTheDaemonGoesOnDelivering) {
  server_->set_down(true);
  auto first = start_daemon();
  send_v5_flows(port_, 0, 200);
  ASSERT_TRUE(itest::wait_for_file_containing(first->stderr_path(), "delivery failed", 10s))
      << first->stderr_text();
  first->send_signal(SIGTERM);
  ASSERT_TRUE(first->wait_for_exit(10s).exited);
  const auto spool = dir_ / "spool" / "spool.db";
  std::filesystem::resize_file(spool, std::filesystem::file_size(spool) / 2);

  server_->set_down(false);
  auto second = start_daemon();
  EXPECT_NE(second->stderr_text().find("is damaged"), std::string::npos) << second->stderr_text();
  send_v5_flows(port_, 200, 210);
  const auto expected = record_bodies(200, 210);
  EXPECT_TRUE(wait_for([&] { return all_accepted(*server_, expected); }, 15s)) << second->stderr_text();
  const std::string metrics = itest::http_get(metrics_port_, "/metrics");
  EXPECT_NE(metrics.find("onefirewall_flowd_spool_damaged_total 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("onefirewall_flowd_records_dropped_total{reason=\"spool_error\"} 0\n"),
            std::string::npos)
      << metrics;
  second->send_signal(SIGTERM);
  const auto status = second->wait_for_exit(10s);
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
}

// A kill -9 and an immediate start: the new daemon counts what the old one sent
// within the period, so no window of the API holds more than the budget.
TEST_F(DaemonDeliveryTest, Kill9AndAnImmediateStartKeepToTheBudget) {
  constexpr auto kPeriod = 4000ms;  // the restart falls well inside one period
  server_ = std::make_unique<TestApiServer>(dir_ / "api", ApiServerOptions{kGoodToken, 15, kPeriod});
  std::string config = config_text();
  config.replace(config.find("period: 1s"), 10, "period: 4s");
  itest::write_file(dir_ / "flowd.yaml", config);
  auto first = start_daemon();
  send_v5_flows(port_, 0, 40);
  ASSERT_TRUE(wait_for([&] { return server_->requests().size() >= 10; }, 10s)) << first->stderr_text();
  first->send_signal(SIGKILL);
  EXPECT_EQ(first->wait_for_exit(5s).signal, SIGKILL);
  auto second = start_daemon();
  const auto expected = record_bodies(0, 40);
  EXPECT_TRUE(wait_for([&] { return all_accepted(*server_, expected); }, 30s)) << second->stderr_text();
  const auto seen = server_->requests();
  EXPECT_LE(busiest_window(seen, kPeriod), 15u);
  EXPECT_EQ(server_->count_status(429), 0u);
  second->send_signal(SIGTERM);
  EXPECT_TRUE(second->wait_for_exit(10s).exited);
}

TEST_F(DaemonDeliveryTest, RefusedTokenPausesUntilTheFileIsFixedAndSighup) {
  write_token("Bearer STALE-SECRET-19c2");
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 20);
  ASSERT_TRUE(itest::wait_for_file_containing(daemon->stderr_path(), "PAUSED", 10s)) << daemon->stderr_text();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(server_->accepted_bodies().size(), 0u);
  write_token(kGoodToken);
  daemon->send_signal(SIGHUP);
  const auto expected = record_bodies(0, 20);
  EXPECT_TRUE(wait_for([&] { return all_accepted(*server_, expected); }, 5s)) << daemon->stderr_text();
  daemon->send_signal(SIGTERM);
  EXPECT_TRUE(daemon->wait_for_exit(10s).exited);
  const std::string logs = all_logs();
  size_t paused = 0;
  for (size_t at = logs.find("PAUSED"); at != std::string::npos; at = logs.find("PAUSED", at + 1)) ++paused;
  EXPECT_EQ(paused, 1u) << logs;
}

// The operator's case of DESIGN.md's "Delivery order", scaled down: four busy
// external hosts have a backlog of 240 records when 20 hosts never seen before
// arrive. The newcomers jump the backlog; the busy hosts take turns.
TEST_F(DaemonDeliveryTest, NewExternalHostsJumpTheBacklogOfBusyOnes) {
  server_->set_latency(50ms);
  auto daemon = start_daemon();
  std::vector<V5Flow> busy;
  for (uint32_t i = 0; i < 60; ++i) {
    for (uint32_t h = 1; h <= 4; ++h) busy.push_back({(203u << 24) | (113u << 8) | h, (10u << 24) | (i + 1)});
  }
  send_v5(port_, busy);
  ASSERT_TRUE(wait_for([&] { return server_->accepted_bodies().size() >= 30; }, 10s))
      << daemon->stderr_text();
  send_v5_flows(port_, 0, 20);
  const auto newcomers = record_bodies(0, 20);
  ASSERT_TRUE(wait_for([&] { return all_accepted(*server_, newcomers); }, 10s)) << daemon->stderr_text();
  const auto accepted = server_->accepted_bodies();
  const size_t busy_sent = accepted.size() - newcomers.size();
  EXPECT_LE(busy_sent, 30u + 8 + 15)
      << "the newcomers waited behind the backlog";  // + requests in flight, a persist
  // The first 30 went while only the four busy hosts waited: they took turns.
  std::map<std::string, int> per_host;
  for (size_t i = 0; i < 28; ++i)
    ++per_host[nlohmann::json::parse(accepted[i]).at("src_ip").get<std::string>()];
  ASSERT_EQ(per_host.size(), 4u);
  for (const auto& [host, n] : per_host) {
    EXPECT_GE(n, 6) << host;  // 7 each, give or take the order of arrival over 8 connections
    EXPECT_LE(n, 8) << host;
  }

  std::string metrics;
  EXPECT_TRUE(wait_for(
      [&] {
        metrics = itest::http_get(metrics_port_, "/metrics");
        // Accepted records leave the spool, and their hosts the waiting ones, at the next commit.
        return metrics.find("onefirewall_flowd_new_hosts_reported_total 24\n") != std::string::npos &&
               metrics.find("onefirewall_flowd_waiting_hosts 4\n") != std::string::npos &&
               metrics.find("onefirewall_flowd_remembered_hosts 24\n") != std::string::npos;
      },
      5s))
      << metrics;
  for (const char* name :
       {"onefirewall_flowd_waiting_hosts 4\n", "onefirewall_flowd_delivery_delay_seconds_count ",
        "onefirewall_flowd_oldest_waiting_seconds ", "onefirewall_flowd_remembered_hosts 24\n"}) {
    EXPECT_NE(metrics.find(name), std::string::npos) << name << "\n" << metrics;
  }
  daemon->send_signal(SIGTERM);
  EXPECT_TRUE(daemon->wait_for_exit(10s).exited);
  EXPECT_NE(daemon->stderr_text().find("new_hosts 24"), std::string::npos) << daemon->stderr_text();
}

// Run last in each case above too: the debug-level logs of every run never hold the token.
TEST_F(DaemonDeliveryTest, TheTokenIsInNoLogEvenAtDebug) {
  server_->fail_next(3, 503);
  auto daemon = start_daemon();
  send_v5_flows(port_, 0, 10);
  EXPECT_TRUE(wait_for([&] { return all_accepted(*server_, record_bodies(0, 10)); }, 15s));
  server_->set_token("Bearer OTHER");
  send_v5_flows(port_, 10, 12);
  EXPECT_TRUE(itest::wait_for_file_containing(daemon->stderr_path(), "PAUSED", 10s));
  daemon->send_signal(SIGHUP);
  daemon->send_signal(SIGTERM);
  EXPECT_TRUE(daemon->wait_for_exit(10s).exited);
  const std::string logs = all_logs();
  EXPECT_NE(logs.find(" debug "), std::string::npos) << "the daemon did not log at debug";
  EXPECT_EQ(logs.find("SECRET"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("7f3a"), std::string::npos) << logs;
}

}  // namespace
}  // namespace flowd::testing
