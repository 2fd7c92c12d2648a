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
