#include "onefirewall_flowd/deliver/rate_limiter.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace flowd {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

const Clock::time_point kT0 = Clock::time_point{} + 1000s;

TEST(RateLimiter, AllowsTheBudgetThenRefuses) {
  RateLimiter limiter(3, 10s);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.try_start(kT0));
    limiter.settle(kT0);
  }
  EXPECT_FALSE(limiter.try_start(kT0 + 9999ms));
  EXPECT_EQ(limiter.next_start(kT0), kT0 + 10s);
  EXPECT_TRUE(limiter.try_start(kT0 + 10s));
}

TEST(RateLimiter, RequestsInFlightHoldTheirSlot) {
  RateLimiter limiter(2, 1s);
  EXPECT_TRUE(limiter.try_start(kT0));
  EXPECT_TRUE(limiter.try_start(kT0));
  EXPECT_FALSE(limiter.try_start(kT0 + 5s));
  EXPECT_EQ(limiter.next_start(kT0 + 5s), Clock::time_point::max());
  limiter.settle(kT0 + 4500ms);  // reached the server late: its slot runs from then
  EXPECT_EQ(limiter.next_start(kT0 + 5s), kT0 + 5500ms);
  EXPECT_FALSE(limiter.try_start(kT0 + 5499ms));
  EXPECT_TRUE(limiter.try_start(kT0 + 5500ms));
}

TEST(RateLimiter, SlotsFreeInArrivalOrderWhateverTheSettleOrder) {
  RateLimiter limiter(2, 1s);
  ASSERT_TRUE(limiter.try_start(kT0));
  ASSERT_TRUE(limiter.try_start(kT0));
  limiter.settle(kT0 + 300ms);
  limiter.settle(kT0 + 100ms);
  EXPECT_EQ(limiter.next_start(kT0 + 200ms), kT0 + 1100ms);
  EXPECT_TRUE(limiter.try_start(kT0 + 1100ms));
  limiter.settle(kT0 + 1100ms);
  EXPECT_EQ(limiter.next_start(kT0 + 1100ms), kT0 + 1300ms);
}

// Randomised: whatever the start pattern, no sliding window ever holds more
// than the budget, and every start the limiter allows was in budget.
TEST(RateLimiter, NeverMoreThanTheBudgetInAnySlidingWindow) {
  constexpr uint32_t kLimit = 15;
  const auto period = 1s;
  RateLimiter limiter(kLimit, period);
  std::mt19937 random(7);
  std::vector<Clock::time_point> starts;
  auto now = kT0;
  for (int step = 0; step < 20000; ++step) {
    now += std::chrono::microseconds(random() % 40000);
    if (limiter.try_start(now)) {
      limiter.settle(now);
      starts.push_back(now);
    }
  }
  ASSERT_GT(starts.size(), 1000u);
  for (size_t i = kLimit; i < starts.size(); ++i) {
    EXPECT_GE(starts[i] - starts[i - kLimit], period) << "at start " << i;
  }
}

TEST(RateLimiter, ALowerLimitHoldsStartsUntilEnoughSlotsExpire) {
  RateLimiter limiter(4, 1s);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(limiter.try_start(kT0 + i * 100ms));
    limiter.settle(kT0 + i * 100ms);
  }
  limiter.set_limit(2);
  EXPECT_EQ(limiter.limit(), 2u);
  // Four held, two allowed: the third oldest must leave the window first.
  EXPECT_EQ(limiter.next_start(kT0 + 500ms), kT0 + 1200ms);
  EXPECT_FALSE(limiter.try_start(kT0 + 1199ms));
  EXPECT_TRUE(limiter.try_start(kT0 + 1200ms));
  limiter.set_limit(0);
  EXPECT_EQ(limiter.limit(), 1u);
}

TEST(RateLimiter, ArrivalsFromBeforeARestartHoldTheirSlots) {
  RateLimiter limiter(3, 1s);
  limiter.note_arrival(kT0 - 900ms);
  limiter.note_arrival(kT0 - 300ms);
  limiter.note_arrival(kT0 - 100ms);
  EXPECT_FALSE(limiter.try_start(kT0));
  EXPECT_EQ(limiter.next_start(kT0), kT0 + 100ms);
  EXPECT_TRUE(limiter.try_start(kT0 + 100ms));
  EXPECT_FALSE(limiter.try_start(kT0 + 100ms));
}

TEST(RateLimiter, UsesTheWholeBudgetUnderBacklog) {
  RateLimiter limiter(150, 10s);
  int started = 0;
  for (auto now = kT0; now < kT0 + 60s; now += 1ms) {
    while (limiter.try_start(now)) {
      limiter.settle(now);
      ++started;
    }
  }
  EXPECT_EQ(started, 6 * 150);
}

}  // namespace
}  // namespace flowd
