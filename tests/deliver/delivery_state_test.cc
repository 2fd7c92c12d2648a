#include <gtest/gtest.h>

#include "onefirewall_flowd/deliver/deliver_stats.h"

namespace flowd {
namespace {

DeliveryState state_after(uint64_t outcome, uint64_t rate_limit = 15, uint64_t paused = 0) {
  DeliverStats stats;
  stats.configured_rate_limit.set(15);
  stats.rate_limit.set(rate_limit);
  stats.last_outcome.set(outcome);
  stats.auth_paused.set(paused);
  return delivery_state(stats);
}

TEST(DeliveryState, FollowsTheLatestOutcome) {
  const TransportError connect = TransportError::kConnect;
  EXPECT_EQ(state_after(0), DeliveryState::kDelivering);
  EXPECT_EQ(state_after(request_outcome(201, nullptr)), DeliveryState::kDelivering);
  EXPECT_EQ(state_after(request_outcome(0, &connect)), DeliveryState::kUnreachable);
  EXPECT_EQ(state_after(request_outcome(503, nullptr)), DeliveryState::kUnreachable);
  EXPECT_EQ(state_after(request_outcome(429, nullptr)), DeliveryState::kThrottled);
  EXPECT_EQ(state_after(request_outcome(400, nullptr)), DeliveryState::kDelivering);  // a dead letter
}

TEST(DeliveryState, ThrottledWhileTheRateIsBelowTheConfiguredOne) {
  EXPECT_EQ(state_after(0, 14), DeliveryState::kThrottled);
}

TEST(DeliveryState, APausedDeliveryIsPausedWhateverCameLast) {
  EXPECT_EQ(state_after(request_outcome(401, nullptr), 15, 1), DeliveryState::kPaused);
  EXPECT_EQ(state_after(0, 3, 1), DeliveryState::kPaused);
}

TEST(DeliveryState, OutcomesDescribeThemselves) {
  const TransportError timeout = TransportError::kTimeout;
  EXPECT_EQ(describe_outcome(request_outcome(204, nullptr)), "");
  EXPECT_EQ(describe_outcome(request_outcome(503, nullptr)), "HTTP 503");
  EXPECT_EQ(describe_outcome(request_outcome(0, &timeout)), "no answer: timeout");
  EXPECT_EQ(describe_outcome(kNoAnswer + 77), "no answer: unknown");
}

}  // namespace
}  // namespace flowd
