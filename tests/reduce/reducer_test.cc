#include "onefirewall_flowd/reduce/reducer.h"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST_F(ReducerTest, CountsReachTheSharedStatsWhenPublished) {
  {
    Reducer r(1h, 1, stats);
    EXPECT_TRUE(r.admit(event(51000, 1), t0));
    EXPECT_FALSE(r.admit(event(51000, 1), t0));
    EXPECT_TRUE(r.admit(event(51000, 2), t0));  // evicts the first
    EXPECT_EQ(stats.passed.value(), 0u);        // counted in the reducer until published
    r.publish_counts();
    EXPECT_EQ(stats.passed.value(), 2u);
    EXPECT_EQ(stats.deduplicated.value(), 1u);
    EXPECT_EQ(stats.evicted.value(), 1u);
    r.publish_counts();  // nothing new: nothing added twice
    EXPECT_EQ(stats.passed.value(), 2u);
    EXPECT_TRUE(r.admit(event(51000, 3), t0));
  }
  EXPECT_EQ(stats.passed.value(), 3u);  // the rest is published when the reducer goes
}

// The batch form lets the same events through as admit() one at a time,
// moved to the front in their order, across evictions and batch boundaries.
TEST_F(ReducerTest, AdmitAllAgreesWithAdmitOneByOne) {
  ReduceStats batch_stats;
  Reducer one(10s, 50, stats);
  Reducer batch(10s, 50, batch_stats);
  uint32_t next = 1;
  for (int round = 0; round < 200; ++round) {
    std::vector<Event> events;
    const size_t count = static_cast<size_t>(round % 70);  // past one prefetch batch
    for (size_t i = 0; i < count; ++i) {
      next = next * 1103515245u + 12345u;
      events.push_back(event(51000, static_cast<uint16_t>(1 + (next >> 16) % 90)));
    }
    const auto now = t0 + std::chrono::milliseconds(round * 100);
    std::vector<Event> expected;
    for (const Event& e : events) {
      if (one.admit(e, now)) expected.push_back(e);
    }
    // admit_all keys on the hash of the name the events would carry.
    for (Event& e : events) e.firewall.clear();
    const size_t kept = batch.admit_all(events, firewall_hash("fw"), now);
    for (size_t i = 0; i < kept; ++i) events[i].firewall = "fw";
    ASSERT_EQ(kept, expected.size()) << "round " << round;
    for (size_t i = 0; i < kept; ++i) ASSERT_EQ(events[i], expected[i]) << "round " << round;
  }
  one.publish_counts();
  batch.publish_counts();
  EXPECT_EQ(batch_stats.passed.value(), stats.passed.value());
  EXPECT_EQ(batch_stats.evicted.value(), stats.evicted.value());
  EXPECT_GT(stats.evicted.value(), 0u);
  EXPECT_GT(stats.deduplicated.value(), 0u);
}

TEST_F(ReducerTest, OneRecordPerConversationPerWindow) {
  Reducer r(1h, 100, stats);
  EXPECT_TRUE(r.admit(event(), t0));
  EXPECT_FALSE(r.admit(event(), t0 + 1s));
  // The source port is not part of the key: a new connection is the same conversation.
  EXPECT_FALSE(r.admit(event(52000), t0 + 2s));
  r.publish_counts();
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
  r.publish_counts();
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

// Windows past what the clock's nanoseconds hold (~2,562,047 h) used to wrap
// negative and turn reduce off; they saturate to a window that never closes.
TEST_F(ReducerTest, WindowBeyondTheClockRangeStillDeduplicates) {
  for (const std::chrono::milliseconds window :
       {std::chrono::milliseconds{3'000'000h}, std::chrono::milliseconds::max()}) {
    Reducer r(window, 10, stats);
    EXPECT_TRUE(r.admit(event(), t0));
    EXPECT_FALSE(r.admit(event(), t0 + 1000h));
    EXPECT_FALSE(r.admit(event(), t0 + 2'000'000h));
  }
}

TEST_F(ReducerTest, CapacityBoundsMemoryAndCountsEvictions) {
  Reducer r(1h, 3, stats);
  for (uint16_t port = 1; port <= 5; ++port) EXPECT_TRUE(r.admit(event(51000, port), t0));
  EXPECT_EQ(r.size(), 3u);
  r.publish_counts();
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
  r.publish_counts();
  EXPECT_EQ(stats.evicted.value(), 0u);
  EXPECT_EQ(r.size(), 1u);
}

// The i-th of many distinct conversations.
Event distinct(uint32_t i) {
  Event e = event();
  e.src_ip = IpAddress::from_v4(0x0a000000u + i);
  return e;
}

// Admits conversations 0..n-1 once each, all at t.
void admit_distinct(Reducer& r, uint32_t n, Reducer::Clock::time_point t) {
  for (uint32_t i = 0; i < n; ++i) ASSERT_TRUE(r.admit(distinct(i), t)) << i;
}

TEST_F(ReducerTest, FullTableCostsAtMostFortyBytesAConversation) {
  Reducer r(1h, 200'000, stats);
  admit_distinct(r, 200'000, t0);
  ASSERT_EQ(r.size(), 200'000u);
  EXPECT_LE(r.memory_bytes(), 40u * r.size());
}

TEST_F(ReducerTest, MillionConversationsFitInThirtyTwoMebibytes) {
  Reducer r(1h, 1'000'000, stats);
  admit_distinct(r, 1'200'000, t0);
  EXPECT_EQ(r.size(), 1'000'000u);
  r.publish_counts();
  EXPECT_EQ(stats.evicted.value(), 200'000u);
  EXPECT_LE(r.memory_bytes(), size_t{32} << 20);
}

TEST_F(ReducerTest, GrowsWithConversationsNotCapacity) {
  Reducer r(1h, 1'000'000, stats);
  EXPECT_LE(r.memory_bytes(), size_t{16} << 10);
  for (uint32_t i = 0; i < 300'000; ++i) {
    ASSERT_TRUE(r.admit(distinct(i), t0));
    // Both the FIFO and the table at most double past what is needed.
    ASSERT_LE(r.memory_bytes(), 64 * std::max<size_t>(r.size(), 512)) << i;
  }
}

// Every eviction erases from the table with backward shifts; the conversations
// still in the window must all stay findable, the evicted ones must not.
TEST_F(ReducerTest, EvictionsKeepTheRestFindable) {
  constexpr uint32_t kCapacity = 61;
  Reducer r(1h, kCapacity, stats);
  for (uint32_t i = 0; i < 20'000; ++i) {
    ASSERT_TRUE(r.admit(distinct(i), t0)) << i;
    const uint32_t oldest = i < kCapacity ? 0 : i - kCapacity + 1;
    for (uint32_t j = oldest; j <= i; ++j) ASSERT_FALSE(r.admit(distinct(j), t0)) << i << " " << j;
  }
  r.publish_counts();
  EXPECT_EQ(stats.evicted.value(), 20'000u - kCapacity);
  EXPECT_TRUE(r.admit(distinct(20'000 - kCapacity - 1), t0));
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

struct TrafficShape {
  size_t capacity;
  uint32_t ports;    // distinct destination ports
  uint32_t sources;  // distinct source addresses
  int max_step_us;   // time between two admissions, up to
};

// Random traffic over a small key space, so that repeats, expiry, eviction
// and the table's growth and deletions all happen many times.
void expect_agreement(const TrafficShape& shape) {
  std::mt19937 random(12345);
  ReduceStats stats;
  Reducer reducer(std::chrono::seconds(5), shape.capacity, stats);
  ReferenceReducer reference(std::chrono::seconds(5), shape.capacity);
  Reducer::Clock::time_point now{};
  for (int i = 0; i < 200'000; ++i) {
    now += std::chrono::microseconds(random() % shape.max_step_us);
    Event e = event(51000, static_cast<uint16_t>(random() % shape.ports));
    e.src_ip = IpAddress::from_v4(0x0a000000u + static_cast<uint32_t>(random() % shape.sources));
    e.firewall = (random() % 4 == 0) ? "fw-b" : "fw-a";
    e.action = (random() % 8 == 0) ? Action::kDeny : Action::kAllow;
    ASSERT_EQ(reducer.admit(e, now), reference.admit(e, now)) << "admission " << i;
  }
  reducer.publish_counts();
  EXPECT_GT(stats.evicted.value(), 0u);
  EXPECT_GT(stats.deduplicated.value(), 0u);
}

TEST(ReducerAgainstReference, AgreesOnEveryAdmission) {
  expect_agreement({700, 40, 50, 200});
}

// A tiny table evicts on nearly every admission, so backward shifts run constantly.
TEST(ReducerAgainstReference, AgreesWhenEvictingConstantly) {
  expect_agreement({13, 8, 4, 200});
}

// Capacity above the initial 512 and a key space above capacity: the table grows
// four times, then evicts.
TEST(ReducerAgainstReference, AgreesWhileGrowing) {
  expect_agreement({5000, 200, 50, 20});
}

// Long gaps between admissions: most conversations expire rather than get evicted.
TEST(ReducerAgainstReference, AgreesWhenExpiring) {
  expect_agreement({400, 40, 20, 20'000});
}

// The hot path names the firewall after reduce and passes its hash: the key
// is the same as admit()'s for an event that carries the name.
TEST_F(ReducerTest, AdmitAllKeysOnTheFirewallHashAsAdmitDoesOnTheName) {
  Reducer r(10s, 100, stats);
  ASSERT_TRUE(r.admit(event(), t0));
  std::vector<Event> unnamed(1, event());
  unnamed[0].firewall.clear();
  EXPECT_EQ(r.admit_all(unnamed, firewall_hash("fw"), t0), 0u);
  EXPECT_EQ(r.admit_all(unnamed, firewall_hash("fw-2"), t0), 1u);
  EXPECT_EQ(r.admit_all(unnamed, firewall_hash("fw-2"), t0), 0u);
}

}  // namespace
}  // namespace flowd
