#include "onefirewall_flowd/net/receive_pause.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kBuffer = 4 << 20;  // a quarter of it: 1 MiB

TEST(ReceivePause, CostCountsTheKernelOverheadOfEachDatagram) {
  EXPECT_EQ(buffer_cost(0, 0), 0u);
  EXPECT_EQ(buffer_cost(10, 14640), 14640u + 10 * kDatagramOverhead);
}

TEST(ReceivePause, AimsToFillAQuarterOfTheBufferAtTheRateJustSeen) {
  // 256 KiB drained over 2 ms: a quarter of the buffer (1 MiB) takes 8 ms to fill.
  EXPECT_EQ(next_pause(256 * 1024, 2ms, kBuffer), 8ms);
  // Twice the rate, half the pause.
  EXPECT_EQ(next_pause(512 * 1024, 2ms, kBuffer), 4ms);
  // A smaller buffer fills sooner.
  EXPECT_EQ(next_pause(256 * 1024, 2ms, kBuffer / 4), 2ms);
}

TEST(ReceivePause, ClampsToTheShortestAndLongestPause) {
  EXPECT_EQ(next_pause(64 << 20, 1ms, kBuffer), kMinPause);  // a flood: come back soon
  EXPECT_EQ(next_pause(1500, 1ms, kBuffer), kMaxPause);      // a trickle
  EXPECT_EQ(next_pause(1500, 0ns, 0), kMinPause);            // no buffer to speak of
}

TEST(ReceivePause, AnIdleSocketTakesTheLongestPauseOnlyWhenItsFillStaysUnderTheTarget) {
  EXPECT_EQ(next_pause(0, 5ms, kBuffer), kMaxPause);
  // One small batch over a long quiet spell: 10 ms at that rate fills far less than 1 MiB.
  EXPECT_EQ(next_pause(buffer_cost(1, 100), 3s, kBuffer), kMaxPause);
  // One batch of 300 KiB after 5 ms: 10 ms would put 600 KiB in a 256 KiB quarter.
  const auto pause = next_pause(300 * 1024, 5ms, kBuffer / 4);
  EXPECT_LT(pause, kMaxPause);
  EXPECT_GT(pause, kMinPause);
}

}  // namespace
}  // namespace flowd
