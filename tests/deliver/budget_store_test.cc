// The request budget kept in the spool database across restarts: a real SQLite file.
#include "onefirewall_flowd/deliver/budget_store.h"

#include <gtest/gtest.h>

#include "integration/daemon_process.h"
#include "onefirewall_flowd/deliver/spool.h"

namespace flowd {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr auto kPeriod = 10s;
constexpr auto kTrip = 2s;

class BudgetStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir_ / "spool.db"; }
  itest::TempDir dir_;
};

TEST_F(BudgetStoreTest, SendTimesOfTheLastPeriodSurviveAReopen) {
  {
    BudgetStore store(file(), kPeriod, kTrip);
    EXPECT_TRUE(store.load(kNow).empty());
    for (uint64_t tag = 1; tag <= 3; ++tag) {
      store.started(tag, kNow + static_cast<int64_t>(tag) * 100);
      store.arrived(tag, kNow + static_cast<int64_t>(tag) * 100 + 30);
    }
    EXPECT_TRUE(store.dirty());
    ASSERT_TRUE(store.flush(kNow + 400));
    EXPECT_FALSE(store.dirty());
  }
  BudgetStore reopened(file(), kPeriod, kTrip);
  EXPECT_EQ(reopened.load(kNow + 1000), (std::vector<int64_t>{kNow + 130, kNow + 230, kNow + 330}));
}

TEST_F(BudgetStoreTest, SendTimesThatLeftThePeriodAreForgotten) {
  {
    BudgetStore store(file(), kPeriod, kTrip);
    store.started(1, kNow);
    store.arrived(1, kNow + 10);
    store.started(2, kNow + 5000);
    store.arrived(2, kNow + 5010);
    ASSERT_TRUE(store.flush(kNow + 5020));
  }
  BudgetStore reopened(file(), kPeriod, kTrip);
  EXPECT_EQ(reopened.load(kNow + 10'010), (std::vector<int64_t>{kNow + 5010}));
  EXPECT_TRUE(reopened.load(kNow + 15'010).empty());
}

// A kill -9 leaves the requests in flight without an arrival: each counts as
// arrived by its start plus the longest trip, or by the restart if sooner.
TEST_F(BudgetStoreTest, RequestsInFlightAtAKillCountAsArrivedByTheirLongestTrip) {
  {
    BudgetStore store(file(), kPeriod, kTrip);
    store.started(1, kNow);
    store.started(2, kNow + 500);
    ASSERT_TRUE(store.flush(kNow + 600));
  }
  BudgetStore reopened(file(), kPeriod, kTrip);
  EXPECT_EQ(reopened.load(kNow + 2100), (std::vector<int64_t>{kNow + 2000, kNow + 2100}));
  // Settled at the first load: a second restart reads the same times.
  BudgetStore again(file(), kPeriod, kTrip);
  EXPECT_EQ(again.load(kNow + 3000), (std::vector<int64_t>{kNow + 2000, kNow + 2100}));
}

TEST_F(BudgetStoreTest, ASendTimeAfterNowCountsAsNow) {
  {
    BudgetStore store(file(), kPeriod, kTrip);
    store.started(1, kNow + 60'000);
    store.arrived(1, kNow + 60'000);
    ASSERT_TRUE(store.flush(kNow + 60'000));
  }
  BudgetStore reopened(file(), kPeriod, kTrip);
  EXPECT_EQ(reopened.load(kNow), (std::vector<int64_t>{kNow}));  // the wall clock went back
}

TEST_F(BudgetStoreTest, SharesTheSpoolDatabaseWithTheSpool) {
  DeliverStats stats;
  SpoolSettings settings;
  settings.dir = dir_.path();
  Spool spool(settings, stats, kNow);
  BudgetStore store(spool.file(), kPeriod, kTrip);
  store.started(7, kNow);
  store.arrived(7, kNow + 20);
  EXPECT_TRUE(store.flush(kNow + 20));
  EXPECT_EQ(store.load(kNow + 100), (std::vector<int64_t>{kNow + 20}));
  EXPECT_EQ(spool.records(), 0u);
}

TEST_F(BudgetStoreTest, AnUnwritableFileIsAStartUpErrorNamingIt) {
  const auto bad = dir_ / "missing-dir" / "spool.db";
  try {
    BudgetStore store(bad, kPeriod, kTrip);
    FAIL() << "opened " << bad;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace flowd
