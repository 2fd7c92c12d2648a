#include "onefirewall_flowd/app/status_report.h"

#include <gtest/gtest.h>

#include "onefirewall_flowd/app/exporter_liveness.h"

namespace flowd {
namespace {

constexpr int64_t kNow = 1'800'000'000;

Config two_listed_exporters() {
  Config config = Config::defaults();
  config.exporters.push_back({*Cidr::parse("192.0.2.1/32"), std::nullopt, "edge-fw-1", {}});
  config.exporters.push_back({*Cidr::parse("198.51.100.0/24"), std::nullopt, "branch", {}});
  config.exporter_silent_after = std::chrono::minutes(5);
  config.api.rate_limit_requests = 150;
  config.api.rate_limit_period = std::chrono::seconds(10);
  return config;
}

// A /metrics page of a daemon up 3600 s whose counters stand at `scale` times their base.
std::string page(int scale, const std::string& state = "delivering") {
  const auto n = [scale](int base) { return std::to_string(base * scale); };
  std::string text =
      "onefirewall_flowd_build_info{version=\"9.9.9\"} 1\n"
      "onefirewall_flowd_start_time_seconds " +
      std::to_string(kNow - 3600) + "\n" + "onefirewall_flowd_exporter_flows_total{exporter=\"192.0.2.1\"} " +
      n(100) + "\n" + "onefirewall_flowd_exporter_sequence_lost_total{exporter=\"192.0.2.1\"} " + n(1) +
      "\n" + "onefirewall_flowd_exporter_last_heard_seconds{exporter=\"192.0.2.1\"} " +
      std::to_string(kNow - 1) + "\n" +
      "onefirewall_flowd_decode_errors_total{reason=\"v5_bad_count\"} 4\n"
      "onefirewall_flowd_decode_errors_total{reason=\"set_truncated\"} 0\n"
      "onefirewall_flowd_records_total " +
      n(50) + "\n" + "onefirewall_flowd_records_passed_total " + n(10) + "\n" +
      "onefirewall_flowd_requests_started_total " + n(3) + "\n" +
      "onefirewall_flowd_queue_depth 12\n"
      "onefirewall_flowd_waiting_hosts 3\n"
      "onefirewall_flowd_oldest_waiting_seconds 4.5\n"
      "onefirewall_flowd_records_dead_lettered_total 2\n"
      "onefirewall_flowd_delivery_last_error_seconds{error=\"HTTP 503\"} " +
      std::to_string(kNow - 60) + "\n";
  for (const char* each : {"delivering", "paused", "unreachable", "throttled"}) {
    text += std::string("onefirewall_flowd_delivery_state{state=\"") + each + "\"} " +
            (each == state ? "1" : "0") + "\n";
  }
  return text;
}

StatusReport report_of(const std::string& first, const std::string& second, const Config& config,
                       std::optional<std::string> health_reason = std::nullopt) {
  const PromText a = PromText::parse(first);
  const PromText b = PromText::parse(second);
  return build_status_report({a, b, 2.0, config, kNow, std::move(health_reason)});
}

TEST(StatusReport, RatesComeFromTheTwoScrapes) {
  const StatusReport r = report_of(page(1), page(2), two_listed_exporters());
  EXPECT_EQ(r.version, "9.9.9");
  EXPECT_EQ(r.uptime_seconds, 3600);
  ASSERT_GE(r.exporters.size(), 1u);
  EXPECT_EQ(r.exporters[0].name, "edge-fw-1");
  EXPECT_DOUBLE_EQ(r.exporters[0].flows_per_second, 50);  // 100 more flows in 2 s
  EXPECT_NEAR(r.exporters[0].sequence_loss_percent, 100.0 * 2 / 202, 1e-9);
  EXPECT_DOUBLE_EQ(r.records_per_second, 25);
  EXPECT_DOUBLE_EQ(r.records_passed_per_second, 5);
  EXPECT_DOUBLE_EQ(r.requests_per_second, 1.5);
  EXPECT_DOUBLE_EQ(r.budget_use_percent, 10);  // 1.5 of 15 requests/s
}

TEST(StatusReport, ShowsBacklogDeadLettersDecodeErrorsAndTheLastError) {
  const StatusReport r = report_of(page(1), page(1), two_listed_exporters());
  EXPECT_EQ(r.backlog_records, 12u);
  EXPECT_EQ(r.waiting_hosts, 3u);
  EXPECT_DOUBLE_EQ(r.oldest_waiting_seconds, 4.5);
  EXPECT_EQ(r.dead_letters, 2u);
  EXPECT_EQ(r.decode_errors, (std::map<std::string, uint64_t>{{"v5_bad_count", 4}}));
  EXPECT_EQ(r.delivery_state, "delivering");
  EXPECT_EQ(r.last_error, "HTTP 503");
  EXPECT_EQ(r.last_error_at, kNow - 60);
}

TEST(StatusReport, AListedExporterNeverHeardIsShownAndSilentAfterTheLimit) {
  const StatusReport r = report_of(page(1), page(2), two_listed_exporters());
  ASSERT_EQ(r.exporters.size(), 2u);
  EXPECT_EQ(r.exporters[1].name, "branch");
  EXPECT_EQ(r.exporters[1].address, "198.51.100.0/24");
  EXPECT_EQ(r.exporters[1].last_heard, 0);
  EXPECT_TRUE(r.exporters[1].silent);  // up 3600 s, silent_after 300 s
  EXPECT_FALSE(r.healthy());
  EXPECT_EQ(r.problems,
            std::vector<std::string>{"listed exporter branch (198.51.100.0/24) never heard from"});
  EXPECT_NE(render_status_text(r, kNow).find("branch"), std::string::npos);
}

TEST(StatusReport, HealthyWhenDeliveringAndEveryListedExporterTalks) {
  Config config = two_listed_exporters();
  config.exporters.pop_back();
  const StatusReport r = report_of(page(1), page(2), config);
  EXPECT_TRUE(r.healthy()) << ::testing::PrintToString(r.problems);
  EXPECT_NE(render_status_text(r, kNow).find("Status: healthy"), std::string::npos);
}

TEST(StatusReport, DeliveryNotDeliveringOrAnUnhealthyDaemonIsDegraded) {
  Config config = two_listed_exporters();
  config.exporters.pop_back();
  const StatusReport paused =
      report_of(page(1), page(2, "paused"), config, "delivery paused: the API refuses the token");
  EXPECT_EQ(paused.delivery_state, "paused");
  EXPECT_EQ(paused.problems,
            (std::vector<std::string>{"unhealthy: delivery paused: the API refuses the token",
                                      "delivery paused (last error: HTTP 503)"}));
  EXPECT_EQ(report_of(page(1), page(2, "unreachable"), config).delivery_state, "unreachable");
  EXPECT_FALSE(report_of(page(1), page(2, "throttled"), config).healthy());
}

TEST(StatusReport, RecordsDroppedBetweenTheScrapesAreAProblem) {
  Config config = two_listed_exporters();
  config.exporters.pop_back();
  const std::string drop = "onefirewall_flowd_records_dropped_total{reason=\"queue_full\"} ";
  const StatusReport r = report_of(page(1) + drop + "5\n", page(2) + drop + "9\n", config);
  EXPECT_EQ(r.problems, std::vector<std::string>{"4 records dropped during the check"});
}

TEST(StatusReport, JsonCarriesEverySection) {
  const auto json = status_json(report_of(page(1), page(2), two_listed_exporters()));
  for (const char* key : {"version", "uptime_seconds", "healthy", "problems", "exporters", "decode_errors",
                          "records_per_second", "delivery", "backlog"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json["exporters"][1]["name"], "branch");
  EXPECT_EQ(json["delivery"]["state"], "delivering");
  EXPECT_EQ(json["delivery"]["budget_use_percent"], 10.0);
}

TEST(ExporterLiveness, AListedRangeIsHeardThroughAnyOfItsAddresses) {
  const Config config = two_listed_exporters();
  std::map<IpAddress, ExporterCounts> heard;
  heard[*IpAddress::parse("198.51.100.77")].last_heard = kNow - 400;
  const auto liveness =
      listed_exporter_liveness(config.exporters, heard, kNow, kNow - 10, std::chrono::minutes(5));
  ASSERT_EQ(liveness.size(), 2u);
  EXPECT_FALSE(liveness[0].silent);  // never heard, but the daemon started 10 s ago
  EXPECT_EQ(liveness[1].last_heard, kNow - 400);
  EXPECT_TRUE(liveness[1].silent);
  EXPECT_EQ(describe_silent(liveness, kNow), "branch (198.51.100.0/24) silent 400 s");
}

TEST(ExporterLiveness, NeverHeardCountsAsSilentOnceTheDaemonRanLongerThanTheLimit) {
  const Config config = two_listed_exporters();
  const auto liveness =
      listed_exporter_liveness(config.exporters, {}, kNow, kNow - 301, std::chrono::minutes(5));
  EXPECT_EQ(describe_silent(liveness, kNow),
            "edge-fw-1 (192.0.2.1) never heard, branch (198.51.100.0/24) never heard");
}

}  // namespace
}  // namespace flowd
