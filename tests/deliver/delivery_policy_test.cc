#include "onefirewall_flowd/deliver/delivery_policy.h"

#include <gtest/gtest.h>

namespace flowd {
namespace {

using namespace std::chrono_literals;

TEST(DeliveryPolicy, ClassifiesTheApiAnswers) {
  EXPECT_EQ(classify(200), Outcome::kDelivered);
  EXPECT_EQ(classify(201), Outcome::kDelivered);
  for (long s : {400L, 404L, 413L, 422L}) EXPECT_EQ(classify(s), Outcome::kDeadLetter) << s;
  EXPECT_EQ(classify(401), Outcome::kAuthRefused);
  EXPECT_EQ(classify(403), Outcome::kAuthRefused);
  EXPECT_EQ(classify(429), Outcome::kThrottled);
  for (long s : {500L, 502L, 503L, 504L, 408L, 0L, 301L}) EXPECT_EQ(classify(s), Outcome::kRetryLater) << s;
}

TEST(DeliveryPolicy, ReadsRetryAfterSecondsAndDates) {
  const auto now = std::chrono::system_clock::from_time_t(1'700'000'000);
  EXPECT_EQ(parse_retry_after(" 7\r\n", now), 7000ms);
  EXPECT_EQ(parse_retry_after("0", now), 0ms);
  // 1700000000 is Tue, 14 Nov 2023 22:13:20 GMT.
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now), 30000ms);
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now), 0ms);
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
}

// Dates past 2262 overflowed the clock's nanoseconds to 0; they and huge
// delta-seconds saturate instead.
TEST(DeliveryPolicy, RetryAfterFarAheadSaturatesInsteadOfOverflowing) {
  const auto now = std::chrono::system_clock::from_time_t(1'700'000'000);
  const auto in_2100 = parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", now);
  ASSERT_TRUE(in_2100);
  EXPECT_GT(*in_2100, std::chrono::hours(24 * 365 * 76));
  EXPECT_EQ(parse_retry_after("Wed, 01 Jan 2200 00:00:00 GMT", now), kLongestRetryAfter);
  EXPECT_EQ(parse_retry_after("Mon, 01 Jan 2300 00:00:00 GMT", now), kLongestRetryAfter);
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now), kLongestRetryAfter);
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now), kLongestRetryAfter);
  EXPECT_EQ(parse_retry_after("86400", now), 86'400'000ms);
}

TEST(DeliveryPolicy, ThrottledWaitIsCappedAndZeroOrPastMeansBackOff) {
  const auto now = std::chrono::system_clock::from_time_t(1'700'000'000);
  EXPECT_EQ(throttled_wait("86400", now, 300s), 300s);
  EXPECT_EQ(throttled_wait("Wed, 01 Jan 2200 00:00:00 GMT", now, 300s), 300s);
  EXPECT_EQ(throttled_wait("Mon, 01 Jan 2300 00:00:00 GMT", now, 300s), 300s);
  EXPECT_EQ(throttled_wait("7", now, 300s), 7s);
  EXPECT_EQ(throttled_wait("0", now, 300s), std::nullopt);
  EXPECT_EQ(throttled_wait("Tue, 14 Nov 2023 22:00:00 GMT", now, 300s), std::nullopt);
  EXPECT_EQ(throttled_wait("", now, 300s), std::nullopt);
  EXPECT_EQ(throttled_wait("soon", now, 300s), std::nullopt);
}

TEST(DeliveryPolicy, BackoffGrowsWithJitterUpToTheCap) {
  Backoff backoff(100ms, 1000ms, 42);
  const std::chrono::milliseconds ceilings[] = {100ms, 200ms, 400ms, 800ms, 1000ms, 1000ms};
  for (const auto ceiling : ceilings) {
    const auto wait = backoff.next();
    EXPECT_GE(wait, ceiling / 2);
    EXPECT_LE(wait, ceiling);
  }
  backoff.reset();
  EXPECT_LE(backoff.next(), 100ms);
}

}  // namespace
}  // namespace flowd
