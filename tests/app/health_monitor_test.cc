#include "onefirewall_flowd/app/health_monitor.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

using namespace std::chrono_literals;

TEST(HealthMonitor, HealthyWhileListeningAndDelivering) {
  HealthMonitor m(300s);
  const HealthMonitor::Clock::time_point t0{};
  m.sample(true, 0, 0, false, t0);
  EXPECT_TRUE(m.health().ok);
  m.sample(true, 10, 5, false, t0 + 400s);  // progress since the last sample
  EXPECT_TRUE(m.health().ok);
}

TEST(HealthMonitor, NotListeningIsUnhealthy) {
  HealthMonitor m;
  m.sample(false, 0, 0, false, {});
  EXPECT_FALSE(m.health().ok);
  EXPECT_EQ(m.health().reason, "not listening");
}

TEST(HealthMonitor, RefusedTokenIsUnhealthy) {
  HealthMonitor m;
  m.sample(true, 0, 3, true, {});
  EXPECT_FALSE(m.health().ok);
  EXPECT_NE(m.health().reason.find("refuses the token"), std::string::npos);
}

TEST(HealthMonitor, RecordsDroppedForSpoolErrorsAreUnhealthyUntilTheDropsStop) {
  HealthMonitor m(300s);
  const HealthMonitor::Clock::time_point t0{};
  m.sample(true, 0, 0, false, t0);
  m.count_spool_errors(12);
  m.sample(true, 5, 3, false, t0 + 5s);
  EXPECT_FALSE(m.health().ok);
  EXPECT_EQ(m.health().reason, "the spool cannot be written: 12 records dropped since the last check");
  m.count_spool_errors(12);
  m.sample(true, 6, 3, false, t0 + 10s);
  EXPECT_TRUE(m.health().ok);
}

TEST(HealthMonitor, WaitingRecordsWithoutDeliveryBecomeStuck) {
  HealthMonitor m(300s);
  const HealthMonitor::Clock::time_point t0{};
  m.sample(true, 7, 0, false, t0);
  m.sample(true, 7, 50, false, t0 + 200s);
  EXPECT_TRUE(m.health().ok);
  m.sample(true, 7, 50, false, t0 + 301s);
  EXPECT_FALSE(m.health().ok);
  EXPECT_EQ(m.health().reason, "delivery stuck: 50 records waiting, none delivered for 301 s");
  m.sample(true, 8, 49, false, t0 + 302s);
  EXPECT_TRUE(m.health().ok);
}

TEST(HealthMonitor, AnEmptyQueueIsNeverStuck) {
  HealthMonitor m(300s);
  const HealthMonitor::Clock::time_point t0{};
  m.sample(true, 0, 0, false, t0);
  m.sample(true, 0, 0, false, t0 + 3600s);
  EXPECT_TRUE(m.health().ok);
}

}  // namespace
}  // namespace flowd
