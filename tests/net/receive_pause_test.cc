#include "onefirewall_flowd/net/receive_pause.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

using namespace std::chrono_literals;

// A quarter of it: 16 MiB. A burst fills three quarters in 47 ms, past kMaxPause.
constexpr uint64_t kBuffer = uint64_t{64} << 20;

TEST(ReceivePause, CostCountsTheKernelOverheadOfEachDatagram) {
  EXPECT_EQ(buffer_cost(0, 0), 0u);
  EXPECT_EQ(buffer_cost(10, 14640), 14640u + 10 * kDatagramOverhead);
}

TEST(ReceivePause, AimsToFillAQuarterOfTheBufferAtTheRateJustSeen) {
  // 4 MiB drained over 2 ms: a quarter of the buffer (16 MiB) takes 8 ms to fill.
  EXPECT_EQ(next_pause(4 << 20, 2ms, kBuffer), 8ms);
  // Twice the rate, half the pause.
  EXPECT_EQ(next_pause(8 << 20, 2ms, kBuffer), 4ms);
  // A smaller buffer fills sooner.
  EXPECT_EQ(next_pause(4 << 20, 2ms, kBuffer / 4), 2ms);
}

TEST(ReceivePause, ClampsToTheShortestAndLongestPause) {
  EXPECT_EQ(next_pause(uint64_t{1} << 30, 1ms, kBuffer), kMinPause);  // a flood: come back soon
  EXPECT_EQ(next_pause(1500, 1ms, kBuffer), kMaxPause);               // a trickle
  EXPECT_EQ(next_pause(1500, 0ns, 0), kMinPause);                     // no buffer to speak of
}

TEST(ReceivePause, AnIdleSocketTakesTheLongestPauseOnlyWhenItsFillStaysUnderTheTarget) {
  EXPECT_EQ(next_pause(0, 5ms, kBuffer), kMaxPause);
  // One small batch over a long quiet spell: 10 ms at that rate fills far less than 1 MiB.
  EXPECT_EQ(next_pause(buffer_cost(1, 100), 3s, kBuffer), kMaxPause);
  // 12 MiB after 5 ms: 40 ms would put 96 MiB in a 4 MiB quarter.
  const auto pause = next_pause(12 << 20, 5ms, kBuffer / 4);
  EXPECT_LT(pause, kMaxPause);
  EXPECT_GT(pause, kMinPause);
}

TEST(ReceivePause, NoPauseIsLongerThanABurstTakesToFillThreeQuartersOfTheBuffer) {
  // The 32 MiB default: 24 MiB at 1 GiB/s.
  EXPECT_EQ(longest_pause(32 << 20), 23'437us);
  EXPECT_EQ(longest_pause(kBuffer), kMaxPause);
  EXPECT_EQ(longest_pause(64 << 10), kMinPause);
  // A trickle, and an idle socket, wait only that long.
  EXPECT_EQ(next_pause(1500, 1ms, 32 << 20), 23'437us);
  EXPECT_EQ(next_pause(0, 5ms, 4 << 20), longest_pause(4 << 20));
  EXPECT_LT(longest_pause(4 << 20), kMaxPause);
}

}  // namespace
}  // namespace flowd
