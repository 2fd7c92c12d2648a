// The uploader against the strict local HTTPS API: real TLS, real SQLite.
#include "onefirewall_flowd/deliver/uploader.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>

#include "delivery_fixture.h"
#include "onefirewall_flowd/deliver/spool.h"

namespace flowd::testing {
namespace {

constexpr uint32_t kLimit = 15;  // 150 per 10 s scaled down: same shape, a tenth of the time
constexpr auto kPeriod = 1000ms;

class UploaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestApiServer>(dir_.path(), ApiServerOptions{"Bearer good", kLimit, kPeriod});
  }
  void TearDown() override {
    if (uploader_) uploader_->stop();
    EXPECT_EQ(server_->contract_violations(), 0u) << ::testing::PrintToString(server_->violation_reasons());
  }

  UploaderSettings settings() const {
    UploaderSettings s;
    s.http.url = server_->url();
    s.http.ca_file = server_->ca_file();
    s.http.concurrency = 8;
    s.http.timeout = 5s;
    s.rate_limit_requests = kLimit;
    s.rate_limit_period = kPeriod;
    s.spool_dir = dir_ / "spool";
    s.spool_max_size = 1 << 20;
    s.queue_capacity = 10'000;
    s.backoff_base = 100ms;
    s.backoff_max = 1s;
    s.auth_retry = 30s;
    return s;
  }

  void start(const std::string& token = "Bearer good") { start_with(settings(), token); }
  void start_with(const UploaderSettings& s, const std::string& token) {
    uploader_ = std::make_unique<Uploader>(s, token, stats_);
    uploader_->start();
  }
  void enqueue(const std::vector<std::string>& bodies) {
    for (const auto& b : bodies) ASSERT_TRUE(uploader_->enqueue(admission_of(b)));
  }
  bool delivered(uint64_t n, std::chrono::milliseconds timeout) {
    return wait_for([&] { return stats_.delivered.value() >= n; }, timeout);
  }

  itest::TempDir dir_;
  std::unique_ptr<TestApiServer> server_;
  DeliverStats stats_;
  std::unique_ptr<Uploader> uploader_;
};

TEST_F(UploaderTest, DeliversEveryRecordExactlyAsTheContractSays) {
  start();
  const auto bodies = record_bodies(0, 20);
  enqueue(bodies);
  ASSERT_TRUE(delivered(20, 10s));
  EXPECT_TRUE(all_accepted(*server_, bodies));
  EXPECT_EQ(server_->requests().size(), 20u);
  EXPECT_EQ(stats_.responses.value(201), 20u);
  EXPECT_TRUE(wait_for([&] { return stats_.queue_depth.value() == 0; }, 2s));
}

TEST_F(UploaderTest, FloodWith300msLatencyUsesTheBudgetWithoutA429) {
  server_->set_latency(300ms);
  start();
  const auto bodies = record_bodies(0, 6 * kLimit);
  enqueue(bodies);
  ASSERT_TRUE(delivered(bodies.size(), 20s));
  const auto seen = server_->requests();
  EXPECT_EQ(server_->count_status(429), 0u);
  EXPECT_LE(busiest_window(seen, kPeriod), kLimit);
  const double use = budget_use(seen, kLimit, kPeriod);
  RecordProperty("budget_use_percent", std::to_string(use * 100));
  std::printf("budget use %.1f%% over %zu requests\n", use * 100, seen.size());
  EXPECT_GE(use, 0.95);
}

TEST_F(UploaderTest, RetriesThrough5xxBursts) {
  server_->fail_next(12, 503);
  start();
  const auto bodies = record_bodies(0, 30);
  enqueue(bodies);
  ASSERT_TRUE(delivered(30, 20s));
  EXPECT_TRUE(all_accepted(*server_, bodies));
  EXPECT_EQ(stats_.responses.value(503), 12u);
  EXPECT_EQ(server_->accepted_bodies().size(), 30u);  // each record accepted once
  server_->fail_next(5, 500);
  enqueue(record_bodies(30, 40));
  ASSERT_TRUE(delivered(40, 20s));
  EXPECT_EQ(server_->count_status(429), 0u);
}

TEST_F(UploaderTest, RequestsFailingTogetherGrowTheBackoffOnce) {
  server_->set_latency(400ms);
  auto s = settings();
  s.backoff_max = 30s;
  start_with(s, "Bearer good");
  enqueue(record_bodies(0, 8));
  ASSERT_TRUE(wait_for([&] { return server_->requests().size() == 8; }, 5s));
  server_->set_down(true);  // cuts the 8 connections with their requests in flight
  server_->set_down(false);
  ASSERT_TRUE(delivered(8, 3s)) << "retried after " << stats_.retries.value() << " failures";
  EXPECT_GE(stats_.transport_errors.total(), 8u);
}

TEST_F(UploaderTest, PresentsTheClientCertificateForMutualTls) {
  server_ =
      std::make_unique<TestApiServer>(dir_ / "mtls", ApiServerOptions{"Bearer good", kLimit, kPeriod, true});
  UploaderSettings s = settings();
  s.http.client_cert = server_->client_cert_file();
  s.http.client_key = server_->client_key_file();
  start_with(s, "Bearer good");
  const auto bodies = record_bodies(0, 3);
  enqueue(bodies);
  ASSERT_TRUE(delivered(3, 10s)) << "transport errors: " << stats_.transport_errors.total();
  EXPECT_TRUE(all_accepted(*server_, bodies));
}

TEST_F(UploaderTest, WithoutTheClientCertificateMutualTlsDeliversNothingAndKeepsIt) {
  server_ =
      std::make_unique<TestApiServer>(dir_ / "mtls", ApiServerOptions{"Bearer good", kLimit, kPeriod, true});
  start();
  enqueue(record_bodies(0, 3));
  ASSERT_TRUE(wait_for([&] { return stats_.transport_errors.total() >= 2; }, 10s));
  EXPECT_EQ(stats_.delivered.value(), 0u);
  EXPECT_TRUE(server_->requests().empty());
  EXPECT_EQ(stats_.dead_lettered.value(), 0u);
}

TEST_F(UploaderTest, LosesNothingToAnOutage) {
  server_->set_down(true);
  start();
  const auto bodies = record_bodies(0, 25);
  enqueue(bodies);
  ASSERT_TRUE(wait_for([&] { return stats_.transport_errors.total() >= 3; }, 10s));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(stats_.delivered.value(), 0u);
  server_->set_down(false);
  ASSERT_TRUE(delivered(25, 15s));
  EXPECT_TRUE(all_accepted(*server_, bodies));
}

TEST_F(UploaderTest, A400IsDeadLetteredAndNeverRetried) {
  const std::string bad = record_body(3);
  server_->reject_bodies_containing("\"45.0.0.4\"");
  start();
  enqueue(record_bodies(0, 6));
  ASSERT_TRUE(
      wait_for([&] { return stats_.delivered.value() == 5 && stats_.dead_lettered.value() == 1; }, 10s));
  std::this_thread::sleep_for(1500ms);
  const auto seen = server_->requests();
  EXPECT_EQ(std::count_if(seen.begin(), seen.end(), [&](const auto& r) { return r.body == bad; }), 1);
  uploader_->stop();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "spool" / "spool.db").c_str(), &db), SQLITE_OK);
  std::string row;
  sqlite3_exec(
      db, "SELECT status || '|' || body || '|' || response FROM dead_letter",
      [](void* out, int, char** v, char**) {
        *static_cast<std::string*>(out) = v[0];
        return 0;
      },
      &row, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(row, "400|" + bad + "|{\"error\":\"invalid record\"}");
}

TEST_F(UploaderTest, A401PausesKeepingEverythingUntilTheTokenIsFixed) {
  start("Bearer stale");
  const auto bodies = record_bodies(0, 12);
  enqueue(bodies);
  ASSERT_TRUE(wait_for([&] { return stats_.auth_paused.value() == 1; }, 10s));
  std::this_thread::sleep_for(1000ms);
  const size_t refused = server_->count_status(401);
  EXPECT_LE(refused, 8u);  // at most the requests already in flight; then it waits
  EXPECT_EQ(stats_.delivered.value(), 0u);
  uploader_->set_token("Bearer good");
  ASSERT_TRUE(delivered(12, 5s));  // at once, not after the 30 s probe period
  EXPECT_TRUE(all_accepted(*server_, bodies));
  EXPECT_EQ(stats_.auth_paused.value(), 0u);
}

TEST_F(UploaderTest, HonoursRetryAfterWhenThrottled) {
  auto s = settings();
  s.rate_limit_requests = 40;  // more than the server allows, to draw 429s
  start_with(s, "Bearer good");
  enqueue(record_bodies(0, 30));
  ASSERT_TRUE(delivered(30, 20s));
  const auto seen = server_->requests();
  ASSERT_GT(server_->count_status(429), 0u);
  // After a 429 (Retry-After: at least 1 s) no request starts before the wait is over.
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i].status != 429) continue;
    for (size_t j = i + 1; j < seen.size(); ++j) {
      if (seen[j].arrival - seen[i].arrival > 50ms) {
        EXPECT_GE(seen[j].arrival - seen[i].arrival, 900ms);
        break;
      }
    }
  }
}

// "Retry-After: 0" used to mean no wait at all: the uploader then spent its whole
// configured budget on 429s. A 429 always backs off, and a budget the API keeps
// throttling is cut to what it accepts.
TEST_F(UploaderTest, RetryAfterZeroStillBacksOffAndSlowsToWhatTheApiAccepts) {
  server_->set_retry_after("0");
  auto s = settings();
  s.rate_limit_requests = 40;  // the API takes 15
  start_with(s, "Bearer good");
  const auto bodies = record_bodies(0, 150);
  enqueue(bodies);
  ASSERT_TRUE(delivered(bodies.size(), 30s)) << server_->count_status(429) << " throttled";
  EXPECT_TRUE(all_accepted(*server_, bodies));
  const size_t throttled = server_->count_status(429);
  std::printf("%zu of %zu requests throttled, rate now %llu per period\n", throttled,
              server_->requests().size(), static_cast<unsigned long long>(stats_.rate_limit.value()));
  EXPECT_LE(throttled, 30u);
  EXPECT_GE(stats_.throttled.value(), 1u);
  EXPECT_LT(stats_.rate_limit.value(), 40u);
  EXPECT_EQ(stats_.responses.value(429), throttled);
}

TEST_F(UploaderTest, ALongRetryAfterWaitsNoLongerThanMaxRetryAfter) {
  server_->set_retry_after("86400");
  auto s = settings();
  s.rate_limit_requests = 40;
  s.max_retry_after = 1s;
  start_with(s, "Bearer good");
  const auto bodies = record_bodies(0, 40);
  enqueue(bodies);
  ASSERT_TRUE(delivered(bodies.size(), 15s)) << server_->count_status(429) << " throttled";
  ASSERT_GT(server_->count_status(429), 0u);
}

// A stop and an immediate start: the new uploader counts what the old one sent
// within the period, so no window holds more than the budget.
TEST_F(UploaderTest, ARestartRightAfterAStopKeepsToTheBudget) {
  constexpr auto kLongPeriod = 3000ms;  // the restart falls well inside one period
  server_ =
      std::make_unique<TestApiServer>(dir_.path(), ApiServerOptions{"Bearer good", kLimit, kLongPeriod});
  auto s = settings();
  s.http.url = server_->url();
  s.http.ca_file = server_->ca_file();
  s.rate_limit_period = kLongPeriod;
  start_with(s, "Bearer good");
  const auto bodies = record_bodies(0, 3 * kLimit);
  enqueue(bodies);
  ASSERT_TRUE(delivered(kLimit, 5s));
  uploader_->stop();
  uploader_.reset();
  start_with(s, "Bearer good");
  ASSERT_TRUE(wait_for([&] { return all_accepted(*server_, bodies); }, 20s));
  const auto seen = server_->requests();
  EXPECT_LE(busiest_window(seen, kLongPeriod), kLimit);
  EXPECT_EQ(server_->count_status(429), 0u);
}

TEST_F(UploaderTest, StopPersistsTheQueueAndAStartReplaysTheSpool) {
  server_->set_down(true);
  start();
  const auto bodies = record_bodies(0, 40);
  enqueue(bodies);
  const auto t0 = std::chrono::steady_clock::now();
  uploader_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  uploader_.reset();
  EXPECT_EQ(stats_.queue_depth.value(), 40u);
  server_->set_down(false);
  start();
  ASSERT_TRUE(delivered(40, 15s));
  EXPECT_TRUE(all_accepted(*server_, bodies));
}

TEST_F(UploaderTest, AFullQueueDropsAndCounts) {
  auto s = settings();
  s.queue_capacity = 2;
  uploader_ = std::make_unique<Uploader>(s, "Bearer good", stats_);  // not started: nothing drains it
  EXPECT_TRUE(uploader_->enqueue(admission_of(record_body(0))));
  EXPECT_TRUE(uploader_->enqueue(admission_of(record_body(1))));
  EXPECT_FALSE(uploader_->enqueue(admission_of(record_body(2))));
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kQueueFull), 1u);
}

// Thirty new hosts with a record each: the order sends them oldest first, so the
// newest would go last and are what a full spool drops.
TEST_F(UploaderTest, PastTheSpoolCapWhatWouldGoLastIsDroppedAndTheRestDelivered) {
  server_->set_down(true);
  auto s = settings();
  s.spool_max_size = 10 * (record_body(29).size() + Spool::kRowOverhead);  // the longest body
  start_with(s, "Bearer good");
  enqueue(record_bodies(0, 30));
  uploader_->stop();
  uploader_.reset();
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 20u);
  EXPECT_EQ(stats_.queue_depth.value(), 10u);
  server_->set_down(false);
  start_with(s, "Bearer good");
  ASSERT_TRUE(delivered(10, 15s));
  std::this_thread::sleep_for(300ms);
  auto accepted = server_->accepted_bodies();
  std::sort(accepted.begin(), accepted.end());
  auto first = record_bodies(0, 10);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(accepted, first);
}

TEST_F(UploaderTest, FullScale150Per10sWithoutA429) {
  server_ = std::make_unique<TestApiServer>(dir_.path(), ApiServerOptions{"Bearer good", 150, 10s});
  server_->set_latency(300ms);
  auto s = settings();
  s.http.url = server_->url();
  s.rate_limit_requests = 150;
  s.rate_limit_period = 10s;
  start_with(s, "Bearer good");
  const auto bodies = record_bodies(0, 190);
  enqueue(bodies);
  ASSERT_TRUE(delivered(190, 30s));
  const auto seen = server_->requests();
  EXPECT_EQ(server_->count_status(429), 0u);
  EXPECT_LE(busiest_window(seen, 10s), 150u);
  const double use = budget_use(seen, 150, 10s);
  std::printf("full scale: budget use %.1f%% over %zu requests\n", use * 100, seen.size());
  EXPECT_GE(use, 0.95);
}

}  // namespace
}  // namespace flowd::testing
