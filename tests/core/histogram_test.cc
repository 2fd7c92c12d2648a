#include "onefirewall_flowd/core/histogram.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <barrier>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

namespace flowd {
namespace {

using ::testing::ElementsAre;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Histogram, RejectsBoundsThatAreNotFiniteAndStrictlyAscending) {
  EXPECT_THROW(Histogram({0.1, kNaN, 1}), std::invalid_argument);
  EXPECT_THROW(Histogram({0.1, kInf}), std::invalid_argument);
  EXPECT_THROW(Histogram({-kInf, 1}), std::invalid_argument);
  EXPECT_THROW(Histogram({1, 0.5}), std::invalid_argument);
  EXPECT_THROW(Histogram({1, 1}), std::invalid_argument);
  EXPECT_NO_THROW(Histogram({-1, 0, 0.1, 86400}));
}

TEST(Histogram, AValueEqualToABoundCountsInThatBucket) {
  Histogram h({1, 2, 5});
  h.observe(1);
  EXPECT_THAT(h.snapshot().cumulative, ElementsAre(1, 1, 1));
  h.observe(2);
  EXPECT_THAT(h.snapshot().cumulative, ElementsAre(1, 2, 2));
  h.observe(5);
  h.observe(5.000001);
  const auto s = h.snapshot();
  EXPECT_THAT(s.cumulative, ElementsAre(1, 2, 3));
  EXPECT_EQ(s.count, 4u);
}

TEST(Histogram, SnapshotHasBoundsCumulativeCountsSumAndCount) {
  Histogram h({0.1, 1, 10});
  for (const double v : {0.0625, 0.5, 0.5, 5.0, 50.0}) h.observe(v);
  const auto s = h.snapshot();
  EXPECT_THAT(s.bounds, ElementsAre(0.1, 1, 10));
  EXPECT_THAT(s.cumulative, ElementsAre(1, 3, 4));
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.sum, 56.0625);
}

TEST(Histogram, StartsEmpty) {
  const auto s = Histogram({0.1, 1}).snapshot();
  EXPECT_THAT(s.cumulative, ElementsAre(0, 0));
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.sum, 0);
}

TEST(Histogram, NegativeValuesCountInTheFirstBucket) {
  Histogram h({0.1, 1});
  h.observe(-3);
  h.observe(-kInf);
  const auto s = h.snapshot();
  EXPECT_THAT(s.cumulative, ElementsAre(2, 2));
  EXPECT_EQ(s.count, 2u);
  EXPECT_EQ(s.sum, -kInf);
}

TEST(Histogram, ValuesAboveTheLastBoundCountOnlyInTheTotal) {
  Histogram h({0.1, 1});
  h.observe(2);
  h.observe(kInf);
  const auto s = h.snapshot();
  EXPECT_THAT(s.cumulative, ElementsAre(0, 0));
  EXPECT_EQ(s.count, 2u);
  EXPECT_EQ(s.sum, kInf);
}

TEST(Histogram, IgnoresNaN) {
  Histogram h({0.1, 1});
  h.observe(0.5);
  h.observe(kNaN);
  const auto s = h.snapshot();
  EXPECT_THAT(s.cumulative, ElementsAre(0, 1));
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.sum, 0.5);
}

TEST(Histogram, ConcurrentObservationsGiveExactTotals) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 200'000;
  Histogram h({1, 2, 4});
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < kRounds; ++i) {
        // Every partial sum is a multiple of 0.5 far below 2^52, so any order adds up exactly.
        h.observe(0.5);
        h.observe(2);
        h.observe(8);
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto s = h.snapshot();
  constexpr uint64_t kEach = uint64_t{kThreads} * kRounds;
  EXPECT_THAT(s.cumulative, ElementsAre(kEach, 2 * kEach, 2 * kEach));
  EXPECT_EQ(s.count, 3 * kEach);
  EXPECT_EQ(s.sum, 10.5 * static_cast<double>(kEach));
}

}  // namespace
}  // namespace flowd
