#include "onefirewall_flowd/deliver/throttle_control.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

using namespace std::chrono_literals;
using Clock = ThrottleControl::Clock;

const Clock::time_point kT0 = Clock::time_point{} + 1000s;

TEST(ThrottleControl, StartsAtTheConfiguredBudget) {
  EXPECT_EQ(ThrottleControl(150, 10s).limit(), 150u);
}

TEST(ThrottleControl, A429HalvesTheBudgetOnceForRequestsInFlightTogether) {
  ThrottleControl control(40, 1s);
  EXPECT_TRUE(control.on_throttled(kT0, kT0 + 100ms));
  EXPECT_EQ(control.limit(), 20u);
  // Started before the cut: sent at the old rate, so no second cut.
  EXPECT_FALSE(control.on_throttled(kT0 + 50ms, kT0 + 120ms));
  EXPECT_EQ(control.limit(), 20u);
  // Started after the cut and still throttled: the API takes less still.
  EXPECT_TRUE(control.on_throttled(kT0 + 200ms, kT0 + 300ms));
  EXPECT_EQ(control.limit(), 10u);
}

TEST(ThrottleControl, NeverCutsBelowOneRequest) {
  ThrottleControl control(3, 1s);
  for (int i = 0; i < 5; ++i) control.on_throttled(kT0 + i * 1s, kT0 + i * 1s);
  EXPECT_EQ(control.limit(), 1u);
}

TEST(ThrottleControl, AcceptedRequestsGiveBackAStepAPeriodUpToTheConfiguredBudget) {
  ThrottleControl control(150, 10s);
  control.on_throttled(kT0, kT0);
  ASSERT_EQ(control.limit(), 75u);
  EXPECT_FALSE(control.on_accepted(kT0 + 9s));  // within the period of the cut
  EXPECT_TRUE(control.on_accepted(kT0 + 10s));
  EXPECT_EQ(control.limit(), 78u);  // a fiftieth of 150
  EXPECT_FALSE(control.on_accepted(kT0 + 15s));
  auto now = kT0 + 10s;
  for (int i = 0; i < 100; ++i) control.on_accepted(now += 10s);
  EXPECT_EQ(control.limit(), 150u);
  EXPECT_FALSE(control.on_accepted(now + 10s));
}

TEST(ThrottleControl, ASmallBudgetStillGrowsByOneRequest) {
  ThrottleControl control(15, 1s);
  control.on_throttled(kT0, kT0);
  ASSERT_EQ(control.limit(), 7u);
  EXPECT_TRUE(control.on_accepted(kT0 + 1s));
  EXPECT_EQ(control.limit(), 8u);
}

}  // namespace
}  // namespace flowd
