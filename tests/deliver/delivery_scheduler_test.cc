// The delivery order (DESIGN.md, "Delivery order") over a real SQLite spool,
// on the test's own clock.
#include "onefirewall_flowd/deliver/delivery_scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "admissions.h"
#include "integration/daemon_process.h"

namespace flowd::testing {
namespace {

using namespace std::chrono_literals;

class SchedulerTest : public ::testing::Test {
 protected:
  void open(int64_t now = kT0) {
    scheduler_.reset();
    scheduler_ = std::make_unique<DeliveryScheduler>(settings_, max_age_, stats_, now);
  }
  void admit(const std::vector<Admission>& records, int64_t now = kT0) {
    ASSERT_TRUE(scheduler_->admit(records, now));
  }
  // Takes and delivers one record at `now`; returns its external host ("" when none waits).
  std::string deliver_one(int64_t now) {
    auto dispatch = scheduler_->take(now);
    if (!dispatch) return "";
    scheduler_->delivered(*dispatch, now);
    EXPECT_TRUE(scheduler_->commit(now));
    return host_text(dispatch->record.host);
  }
  // Delivers `n` records, one every 100 ms from `from`.
  std::vector<std::string> deliver(size_t n, int64_t from = kT0) {
    std::vector<std::string> hosts;
    for (size_t i = 0; i < n; ++i) hosts.push_back(deliver_one(from + static_cast<int64_t>(i) * 100));
    return hosts;
  }
  // Bodies in the order they would go, delivering each.
  std::vector<std::string> deliver_bodies(size_t n, int64_t from = kT0) {
    std::vector<std::string> bodies;
    for (size_t i = 0; i < n; ++i) {
      const int64_t now = from + static_cast<int64_t>(i) * 100;
      auto dispatch = scheduler_->take(now);
      if (!dispatch) break;
      bodies.push_back(dispatch->record.body);
      scheduler_->delivered(*dispatch, now);
      EXPECT_TRUE(scheduler_->commit(now));
    }
    return bodies;
  }

  itest::TempDir dir_;
  SpoolSettings settings_{dir_.path(), 1ull << 30, 24h, 1'000'000, DeliveryOrder::kHostsFirst};
  std::chrono::milliseconds max_age_{24h};
  DeliverStats stats_;
  std::unique_ptr<DeliveryScheduler> scheduler_;
};

TEST_F(SchedulerTest, WithNothingWaitingARecordGoesAtOnce) {
  open();
  EXPECT_EQ(scheduler_->take(kT0), std::nullopt);
  admit({allow("45.0.0.1", kT0)});
  EXPECT_EQ(scheduler_->ready(), 1u);
  EXPECT_EQ(deliver(1), (std::vector<std::string>{"45.0.0.1"}));
  EXPECT_EQ(scheduler_->spool().records(), 0u);
}

TEST_F(SchedulerTest, ANewHostGoesBeforeTheBacklogOfReportedOnes) {
  open();
  admit({allow("45.0.0.1", kT0), allow("45.0.0.2", kT0)});
  EXPECT_EQ(deliver(2), (std::vector<std::string>{"45.0.0.1", "45.0.0.2"}));
  std::vector<Admission> backlog;
  for (int i = 0; i < 50; ++i) backlog.push_back(allow(i % 2 ? "45.0.0.1" : "45.0.0.2", kT0 + 1000, i));
  admit(backlog, kT0 + 1000);
  admit({deny("198.51.100.7", kT0 + 2000)}, kT0 + 2000);
  EXPECT_EQ(deliver_one(kT0 + 3000), "198.51.100.7");
  EXPECT_EQ(stats_.new_hosts_reported.value(), 3u);
}

TEST_F(SchedulerTest, ReportedHostsTakeTurnsLeastRecentlyReportedFirst) {
  open();
  admit({allow("45.0.0.3", kT0), allow("45.0.0.1", kT0), allow("45.0.0.2", kT0)});
  EXPECT_EQ(deliver(3), (std::vector<std::string>{"45.0.0.3", "45.0.0.1", "45.0.0.2"}));
  std::vector<Admission> backlog;
  for (int i = 0; i < 30; ++i) backlog.push_back(allow("45.0.0.1", kT0 + 1000, i));  // one busy host
  for (int i = 0; i < 3; ++i) backlog.push_back(allow("45.0.0.2", kT0 + 1000, i));
  for (int i = 0; i < 3; ++i) backlog.push_back(allow("45.0.0.3", kT0 + 1000, i));
  admit(backlog, kT0 + 1000);
  EXPECT_EQ(deliver(9, kT0 + 2000),
            (std::vector<std::string>{"45.0.0.3", "45.0.0.1", "45.0.0.2", "45.0.0.3", "45.0.0.1", "45.0.0.2",
                                      "45.0.0.3", "45.0.0.1", "45.0.0.2"}));
  EXPECT_EQ(deliver(3, kT0 + 3000), (std::vector<std::string>{"45.0.0.1", "45.0.0.1", "45.0.0.1"}));
}

TEST_F(SchedulerTest, OneBusyHostCannotHoldTheBudget) {
  open();
  std::vector<Admission> records;
  for (int i = 0; i < 1000; ++i) records.push_back(deny("203.0.113.66", kT0, i));  // a scanner
  for (int h = 1; h <= 20; ++h) records.push_back(allow("45.0.1." + std::to_string(h), kT0 + 10));
  admit(records);
  const auto first = deliver(21, kT0 + 100);
  EXPECT_EQ(std::set<std::string>(first.begin(), first.end()).size(), 21u);
}

TEST_F(SchedulerTest, AllowGoesBeforeDenyAmongNewHostsThenTheOldest) {
  open();
  admit({deny("45.0.0.1", kT0), deny("45.0.0.2", kT0 + 1), allow("45.0.0.3", kT0 + 2),
         allow("45.0.0.4", kT0 + 3)});
  EXPECT_EQ(deliver(4, kT0 + 10), (std::vector<std::string>{"45.0.0.3", "45.0.0.4", "45.0.0.1", "45.0.0.2"}));
}

TEST_F(SchedulerTest, WithinAHostAllowGoesBeforeDenyThenTheOldest) {
  open();
  const std::vector<Admission> records{deny("45.0.0.1", kT0, 0), allow("45.0.0.1", kT0 + 1, 1),
                                       deny("45.0.0.1", kT0 + 2, 2), allow("45.0.0.1", kT0 + 3, 3)};
  admit(records);
  EXPECT_EQ(deliver_bodies(4, kT0 + 10),
            (std::vector<std::string>{records[1].body, records[3].body, records[0].body, records[2].body}));
}

TEST_F(SchedulerTest, ANewHostsAllowArrivingLaterMovesItAheadOfDenyOnlyHosts) {
  open();
  admit({deny("45.0.0.1", kT0), deny("45.0.0.2", kT0 + 1)});
  admit({allow("45.0.0.2", kT0 + 2, 1)}, kT0 + 2);
  EXPECT_EQ(deliver(2, kT0 + 10), (std::vector<std::string>{"45.0.0.2", "45.0.0.1"}));
}

TEST_F(SchedulerTest, ARecordInFlightIsNotHandedOutAgain) {
  open();
  admit({allow("45.0.0.1", kT0, 0), allow("45.0.0.1", kT0, 1)});
  const auto a = scheduler_->take(kT0);
  const auto b = scheduler_->take(kT0);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->record.id, b->record.id);
  EXPECT_EQ(scheduler_->ready(), 0u);
  EXPECT_EQ(scheduler_->take(kT0), std::nullopt);
}

TEST_F(SchedulerTest, AFailedAttemptKeepsTheHostsPlace) {
  open();
  admit({allow("45.0.0.1", kT0), allow("45.0.0.2", kT0 + 1)});
  const auto first = scheduler_->take(kT0 + 10);
  ASSERT_TRUE(first);
  EXPECT_EQ(host_text(first->record.host), "45.0.0.1");
  EXPECT_TRUE(first->new_host);
  scheduler_->retry(*first);
  EXPECT_EQ(deliver(2, kT0 + 20), (std::vector<std::string>{"45.0.0.1", "45.0.0.2"}));
}

TEST_F(SchedulerTest, ANewHostWhoseRecordsAllFailStaysNewWhateverOrderTheyFailIn) {
  open();
  admit({allow("45.0.0.1", kT0, 0), allow("45.0.0.1", kT0 + 1, 1), allow("45.0.0.1", kT0 + 2, 2)});
  const auto a = scheduler_->take(kT0 + 10);
  const auto b = scheduler_->take(kT0 + 11);
  const auto c = scheduler_->take(kT0 + 12);
  ASSERT_TRUE(a && b && c);
  admit({allow("45.0.0.2", kT0 + 13)}, kT0 + 13);
  scheduler_->retry(*a);
  scheduler_->retry(*c);
  scheduler_->retry(*b);
  EXPECT_EQ(deliver(2, kT0 + 20), (std::vector<std::string>{"45.0.0.1", "45.0.0.2"}));
  EXPECT_EQ(stats_.new_hosts_reported.value(), 2u);
}

TEST_F(SchedulerTest, OneRecordThroughOfSeveralOutCountsTheHostAsReported) {
  open();
  admit({allow("45.0.0.1", kT0, 0), allow("45.0.0.1", kT0 + 1, 1)});
  const auto a = scheduler_->take(kT0 + 10);
  const auto b = scheduler_->take(kT0 + 11);
  ASSERT_TRUE(a && b);
  scheduler_->delivered(*b, kT0 + 12);
  scheduler_->retry(*a);
  ASSERT_TRUE(scheduler_->commit(kT0 + 12));
  admit({allow("45.0.0.2", kT0 + 13)}, kT0 + 13);
  EXPECT_EQ(deliver(2, kT0 + 20), (std::vector<std::string>{"45.0.0.2", "45.0.0.1"}));
  EXPECT_EQ(stats_.new_hosts_reported.value(), 2u);
}

TEST_F(SchedulerTest, AHostDeliveredWithinHostMemoryWaitsAsReported) {
  open();
  admit({allow("45.0.0.1", kT0)});
  EXPECT_EQ(deliver(1), (std::vector<std::string>{"45.0.0.1"}));
  EXPECT_EQ(scheduler_->spool().remembered_hosts(), 1u);
  // Its next record comes an hour later, beside a new host's older one.
  admit({allow("45.0.0.9", kT0 + 1000)}, kT0 + 1000);
  admit({allow("45.0.0.1", kT0 + 3'600'000, 1)}, kT0 + 3'600'000);
  const auto next = scheduler_->take(kT0 + 3'600'001);
  ASSERT_TRUE(next);
  EXPECT_EQ(host_text(next->record.host), "45.0.0.9");
  // Past host_memory it counts as new again, both on arrival and while it waits.
  scheduler_->retry(*next);
  scheduler_->maintain(kT0 + 25 * 3'600'000);
  EXPECT_EQ(scheduler_->spool().remembered_hosts(), 0u);
  const auto again = scheduler_->take(kT0 + 25 * 3'600'000);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->new_host);
}

TEST_F(SchedulerTest, AReportedHostWhoseMemoryLapsesWhileWaitingBecomesNew) {
  open();
  admit({allow("45.0.0.1", kT0)});
  deliver(1);
  admit({deny("45.0.0.1", kT0 + 1000, 1)}, kT0 + 1000);
  admit({deny("45.0.0.2", kT0 + 2000)}, kT0 + 2000);  // new, so it would go first
  scheduler_->maintain(kT0 + 24 * 3'600'000 + 1);     // the first host's delivery is past host_memory
  // Both are new now, both Deny: the oldest record goes first.
  EXPECT_EQ(deliver(2, kT0 + 24 * 3'600'000 + 10), (std::vector<std::string>{"45.0.0.1", "45.0.0.2"}));
}

TEST_F(SchedulerTest, TheMemoryIsCappedLeastRecentlyReportedForgottenFirst) {
  settings_.host_memory_limit = 3;
  open();
  for (int h = 1; h <= 5; ++h) admit({allow("45.0.0." + std::to_string(h), kT0 + h)}, kT0 + h);
  deliver(5, kT0 + 100);
  EXPECT_EQ(scheduler_->spool().remembered_hosts(), 3u);
  EXPECT_EQ(stats_.remembered_hosts.value(), 3u);
  // 45.0.0.1 and .2 were forgotten: they are new again.
  admit({allow("45.0.0.5", kT0 + 2000, 1), allow("45.0.0.1", kT0 + 2001, 1)}, kT0 + 2001);
  EXPECT_EQ(deliver(2, kT0 + 3000), (std::vector<std::string>{"45.0.0.1", "45.0.0.5"}));
}

// What the spool counts for these records.
uint64_t spooled_bytes(const std::vector<Admission>& records) {
  uint64_t bytes = 0;
  for (const auto& r : records) bytes += r.body.size() + Spool::kRowOverhead;
  return bytes;
}

TEST_F(SchedulerTest, SpoolFullDropsWhatWouldGoLastFromTheHostWithTheMost) {
  std::vector<Admission> records;
  for (int i = 0; i < 4; ++i) records.push_back(allow("203.0.113.66", kT0 + i, i));
  for (int i = 4; i < 8; ++i) records.push_back(deny("203.0.113.66", kT0 + i, i));
  for (int h = 1; h <= 4; ++h) records.push_back(allow("45.0.0." + std::to_string(h), kT0 + 10 + h));
  settings_.max_bytes = spooled_bytes(records);
  open();
  admit(records);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 0u);
  // Three more, over the cap: the busy host's oldest Deny records go.
  admit({allow("45.0.0.5", kT0 + 20), allow("45.0.0.6", kT0 + 21), allow("45.0.0.7", kT0 + 22)}, kT0 + 22);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 3u);
  EXPECT_LE(scheduler_->spool().bytes(), settings_.max_bytes);
  auto bodies = deliver_bodies(20, kT0 + 100);
  ASSERT_EQ(bodies.size(), 12u);
  for (int i = 4; i < 7; ++i) EXPECT_EQ(std::count(bodies.begin(), bodies.end(), records[i].body), 0) << i;
  EXPECT_EQ(std::count(bodies.begin(), bodies.end(), records[7].body), 1);
}

TEST_F(SchedulerTest, SpoolFullTakesAllowsOnceTheBusiestHostHasNoDenyLeft) {
  const std::vector<Admission> busy{allow("203.0.113.66", kT0, 0), allow("203.0.113.66", kT0 + 1, 1),
                                    deny("203.0.113.66", kT0 + 2, 2)};
  settings_.max_bytes = spooled_bytes(busy) + spooled_bytes({allow("45.0.0.1", kT0)});
  open();
  admit(busy);
  admit({allow("45.0.0.1", kT0 + 3), allow("45.0.0.2", kT0 + 4)}, kT0 + 4);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 1u);
  admit({allow("45.0.0.3", kT0 + 5)}, kT0 + 5);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 2u);
  const auto bodies = deliver_bodies(10, kT0 + 100);
  EXPECT_EQ(std::count(bodies.begin(), bodies.end(), busy[0].body), 0);
  EXPECT_EQ(std::count(bodies.begin(), bodies.end(), busy[1].body), 1);
}

TEST_F(SchedulerTest, SpoolFullNeverDropsARecordInFlight) {
  const std::vector<Admission> busy{deny("203.0.113.66", kT0, 0), deny("203.0.113.66", kT0 + 1, 1)};
  const std::vector<Admission> others{allow("45.0.0.1", kT0 + 2), allow("45.0.0.2", kT0 + 3)};
  settings_.max_bytes = spooled_bytes(busy) + spooled_bytes(others);
  open();
  admit(busy);
  const auto a = scheduler_->take(kT0 + 5);  // both of the busy host's records go out
  const auto b = scheduler_->take(kT0 + 6);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(host_text(b->record.host), "203.0.113.66");
  admit(others, kT0 + 7);
  admit({allow("45.0.0.3", kT0 + 8)}, kT0 + 8);  // over the cap: the oldest not in flight goes
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 1u);
  scheduler_->delivered(*a, kT0 + 9);
  scheduler_->delivered(*b, kT0 + 9);
  ASSERT_TRUE(scheduler_->commit(kT0 + 9));
  EXPECT_EQ(deliver(3, kT0 + 100), (std::vector<std::string>{"45.0.0.2", "45.0.0.3", ""}));
}

TEST_F(SchedulerTest, InArrivalOrderSpoolFullDropsTheOldest) {
  settings_.order = DeliveryOrder::kArrival;
  const std::vector<Admission> records{allow("45.0.0.1", kT0), allow("45.0.0.2", kT0 + 1),
                                       allow("45.0.0.3", kT0 + 2)};
  settings_.max_bytes = spooled_bytes(records);
  open();
  admit(records);
  admit({allow("45.0.0.4", kT0 + 3)}, kT0 + 3);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 1u);
  EXPECT_EQ(deliver(3, kT0 + 10), (std::vector<std::string>{"45.0.0.2", "45.0.0.3", "45.0.0.4"}));
}

TEST_F(SchedulerTest, ARecordOlderThanMaxAgeIsDroppedAsStaleButNotWhileInFlight) {
  max_age_ = 1h;
  open();
  admit({allow("45.0.0.1", kT0, 0), allow("45.0.0.2", kT0, 1), allow("45.0.0.3", kT0 + 1'800'000, 2)});
  const auto out = scheduler_->take(kT0 + 10);
  ASSERT_TRUE(out);
  scheduler_->maintain(kT0 + 3'600'001);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kStale), 1u);
  EXPECT_EQ(scheduler_->spool().records(), 2u);  // the one in flight and the young one
  scheduler_->delivered(*out, kT0 + 3'600'002);
  ASSERT_TRUE(scheduler_->commit(kT0 + 3'600'002));
  EXPECT_EQ(deliver(2, kT0 + 3'600'100), (std::vector<std::string>{"45.0.0.3", ""}));
}

TEST_F(SchedulerTest, MaxAgeZeroKeepsRecordsUntilDelivered) {
  max_age_ = 0ms;
  open();
  admit({allow("45.0.0.1", kT0)});
  scheduler_->maintain(kT0 + 365LL * 24 * 3'600'000);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kStale), 0u);
  EXPECT_EQ(scheduler_->spool().records(), 1u);
}

TEST_F(SchedulerTest, TheDelayFromAdmissionToAcceptanceIsObserved) {
  open();
  admit({allow("45.0.0.1", kT0)});
  const auto dispatch = scheduler_->take(kT0 + 100);
  ASSERT_TRUE(dispatch);
  scheduler_->delivered(*dispatch, kT0 + 7'000);
  const auto delay = stats_.delivery_delay.snapshot();
  EXPECT_EQ(delay.count, 1u);
  EXPECT_DOUBLE_EQ(delay.sum, 7.0);
}

TEST_F(SchedulerTest, TheGaugesFollowTheBacklog) {
  open();
  admit({allow("45.0.0.1", kT0, 0), allow("45.0.0.1", kT0 + 5, 1), deny("45.0.0.2", kT0 + 9)});
  scheduler_->maintain(kT0 + 1000);
  EXPECT_EQ(stats_.waiting_hosts.value(), 2u);
  EXPECT_EQ(oldest_waiting_seconds(stats_, kT0 + 4000), 4.0);
  deliver(3, kT0 + 2000);
  scheduler_->maintain(kT0 + 3000);
  EXPECT_EQ(stats_.waiting_hosts.value(), 0u);
  EXPECT_EQ(oldest_waiting_seconds(stats_, kT0 + 4000), 0.0);
}

TEST_F(SchedulerTest, ARestartResumesTheSameOrder) {
  std::vector<Admission> records;
  for (int i = 0; i < 60; ++i) {
    const std::string host = "45.0." + std::to_string(i % 7) + "." + std::to_string(i % 3 + 1);
    records.push_back(i % 4 == 0 ? deny(host, kT0 + i, i) : allow(host, kT0 + i, i));
  }
  // Straight through.
  open();
  admit(records, kT0 + 60);
  const auto straight = deliver_bodies(60, kT0 + 1000);
  // Stopped after 25, abandoning two requests in flight as a stop does.
  scheduler_.reset();
  std::filesystem::remove_all(dir_.path());
  open();
  admit(records, kT0 + 60);
  auto resumed = deliver_bodies(25, kT0 + 1000);
  const auto a = scheduler_->take(kT0 + 3600);
  const auto b = scheduler_->take(kT0 + 3700);
  ASSERT_TRUE(a && b);
  scheduler_->retry(*a);
  scheduler_->retry(*b);
  open(kT0 + 3800);
  const auto rest = deliver_bodies(60, kT0 + 1000 + 25 * 100);
  resumed.insert(resumed.end(), rest.begin(), rest.end());
  EXPECT_EQ(resumed, straight);
}

TEST_F(SchedulerTest, ArrivalOrderIsOldestFirst) {
  settings_.order = DeliveryOrder::kArrival;
  open();
  admit({allow("45.0.0.1", kT0, 0), allow("45.0.0.1", kT0 + 1, 1), deny("45.0.0.2", kT0 + 2)});
  EXPECT_EQ(deliver(3, kT0 + 10), (std::vector<std::string>{"45.0.0.1", "45.0.0.1", "45.0.0.2"}));
}

}  // namespace
}  // namespace flowd::testing
