#include "onefirewall_flowd/reduce/reducer.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>
#include <tuple>

namespace flowd {
namespace {

using namespace std::chrono_literals;

Event event(uint16_t src_port = 51000, uint16_t dst_port = 443) {
  Event e;
  e.firewall = "fw";
  e.direction = Direction::kOutbound;
  e.src_ip = *IpAddress::parse("192.168.1.10");
  e.dst_ip = *IpAddress::parse("198.51.100.7");
  e.src_port = src_port;
  e.dst_port = dst_port;
  e.protocol = 6;
  e.service = "https";
  return e;
}

struct ReducerTest : ::testing::Test {
  ReduceStats stats;
  Reducer::Clock::time_point t0{};
};

TEST_F(ReducerTest, OneRecordPerConversationPerWindow) {
  Reducer r(1h, 100, stats);
  EXPECT_TRUE(r.admit(event(), t0));
  EXPECT_FALSE(r.admit(event(), t0 + 1s));
  // The source port is not part of the key: a new connection is the same conversation.
  EXPECT_FALSE(r.admit(event(52000), t0 + 2s));
  EXPECT_EQ(stats.passed.value(), 1u);
  EXPECT_EQ(stats.deduplicated.value(), 2u);
}

TEST_F(ReducerTest, EachKeyFieldSeparatesConversations) {
  Reducer r(1h, 100, stats);
  EXPECT_TRUE(r.admit(event(), t0));
  Event e = event();
  e.dst_port = 80;
  EXPECT_TRUE(r.admit(e, t0));
  e = event();
  e.protocol = 17;
  EXPECT_TRUE(r.admit(e, t0));
  e = event();
  e.action = Action::kDeny;
  EXPECT_TRUE(r.admit(e, t0));
  e = event();
  e.direction = Direction::kInbound;
  EXPECT_TRUE(r.admit(e, t0));
  e = event();
  e.firewall = "other";
  EXPECT_TRUE(r.admit(e, t0));
  e = event();
  e.src_ip = *IpAddress::parse("192.168.1.11");
  EXPECT_TRUE(r.admit(e, t0));
  e = event();
  e.dst_ip = *IpAddress::parse("198.51.100.8");
  EXPECT_TRUE(r.admit(e, t0));
  EXPECT_EQ(stats.passed.value(), 8u);
}

TEST_F(ReducerTest, ConversationReturnsAfterTheWindow) {
  Reducer r(10s, 100, stats);
  EXPECT_TRUE(r.admit(event(), t0));
  EXPECT_FALSE(r.admit(event(), t0 + 9s));
  EXPECT_TRUE(r.admit(event(), t0 + 10s));
  EXPECT_FALSE(r.admit(event(), t0 + 19s));
  EXPECT_EQ(r.size(), 1u);
}

TEST_F(ReducerTest, ZeroWindowTurnsReduceOff) {
  Reducer r(0ms, 100, stats);
  EXPECT_TRUE(r.admit(event(), t0));
  EXPECT_TRUE(r.admit(event(), t0));
  EXPECT_EQ(r.size(), 0u);
}

TEST_F(ReducerTest, CapacityBoundsMemoryAndCountsEvictions) {
  Reducer r(1h, 3, stats);
  for (uint16_t port = 1; port <= 5; ++port) EXPECT_TRUE(r.admit(event(51000, port), t0));
  EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(stats.evicted.value(), 2u);
  // The oldest were forgotten, the newest are still remembered.
  EXPECT_TRUE(r.admit(event(51000, 1), t0));
  EXPECT_FALSE(r.admit(event(51000, 5), t0));
}

TEST_F(ReducerTest, ExpiryFreesRoomWithoutEviction) {
  Reducer r(10s, 2, stats);
  EXPECT_TRUE(r.admit(event(51000, 1), t0));
  EXPECT_TRUE(r.admit(event(51000, 2), t0));
  EXPECT_TRUE(r.admit(event(51000, 3), t0 + 11s));
  EXPECT_EQ(stats.evicted.value(), 0u);
  EXPECT_EQ(r.size(), 1u);
}

}  // namespace
}  // namespace flowd

namespace flowd {
namespace {

// The reference: the same rules on a std::map keyed by the full key.
class ReferenceReducer {
 public:
  ReferenceReducer(std::chrono::milliseconds window, size_t capacity)
      : window_(window), capacity_(capacity) {}

  bool admit(const Event& e, Reducer::Clock::time_point now) {
    while (!order_.empty() && now - order_.front().first >= window_) {
      seen_.erase(order_.front().second);
      order_.pop_front();
    }
    const auto key =
        std::make_tuple(e.firewall, e.src_ip, e.dst_ip, e.dst_port, e.protocol, e.direction, e.action);
    if (seen_.contains(key)) return false;
    while (seen_.size() >= capacity_) {
      seen_.erase(order_.front().second);
      order_.pop_front();
    }
    seen_.insert(key);
    order_.emplace_back(now, key);
    return true;
  }

 private:
  using Key = std::tuple<std::string, IpAddress, IpAddress, uint16_t, uint8_t, Direction, Action>;
  std::chrono::milliseconds window_;
  size_t capacity_;
  std::set<Key> seen_;
  std::deque<std::pair<Reducer::Clock::time_point, Key>> order_;
};

// Random traffic over a small key space, so that repeats, expiry, eviction
// and the table's growth and deletions all happen many times.
TEST(ReducerAgainstReference, AgreesOnEveryAdmission) {
  std::mt19937 random(12345);
  ReduceStats stats;
  Reducer reducer(std::chrono::seconds(5), 700, stats);
  ReferenceReducer reference(std::chrono::seconds(5), 700);
  Reducer::Clock::time_point now{};
  for (int i = 0; i < 200'000; ++i) {
    now += std::chrono::microseconds(random() % 200);
    Event e = event(51000, static_cast<uint16_t>(random() % 40));
    e.src_ip = IpAddress::from_v4(0x0a000000u + static_cast<uint32_t>(random() % 50));
    e.firewall = (random() % 4 == 0) ? "fw-b" : "fw-a";
    e.action = (random() % 8 == 0) ? Action::kDeny : Action::kAllow;
    ASSERT_EQ(reducer.admit(e, now), reference.admit(e, now)) << "admission " << i;
  }
  EXPECT_GT(stats.evicted.value(), 0u);
  EXPECT_GT(stats.deduplicated.value(), 0u);
}

}  // namespace
}  // namespace flowd
