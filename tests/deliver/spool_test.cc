#include "onefirewall_flowd/deliver/spool.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "onefirewall_flowd/deliver/record_queue.h"

namespace flowd {
namespace {

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("flowd_spool_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::vector<std::string> bodies(int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) out.push_back("{\"n\":" + std::to_string(i) + "}");
    return out;
  }
  static std::vector<std::string> texts(const std::vector<SpooledRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.body);
    return out;
  }
  std::string query_one(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "spool.db").c_str(), &db);
    std::string out;
    sqlite3_exec(
        db, sql.c_str(),
        [](void* o, int, char** v, char**) {
          *static_cast<std::string*>(o) = v[0] ? v[0] : "";
          return 0;
        },
        &out, nullptr);
    sqlite3_close(db);
    return out;
  }

  std::filesystem::path dir_;
  DeliverStats stats_;
};

TEST_F(SpoolTest, KeepsRecordsInOrderAcrossReopen) {
  {
    Spool spool(dir_, 1 << 20, stats_);
    ASSERT_TRUE(spool.append(bodies(0, 5)));
    EXPECT_EQ(spool.records(), 5u);
  }
  Spool spool(dir_, 1 << 20, stats_);
  EXPECT_EQ(spool.records(), 5u);
  const auto all = spool.read_after(0, 100);
  EXPECT_EQ(texts(all), bodies(0, 5));
  EXPECT_EQ(texts(spool.read_after(all[2].id, 100)), bodies(3, 5));
  EXPECT_EQ(query_one("PRAGMA journal_mode"), "wal");
}

TEST_F(SpoolTest, CompleteRemovesDeliveredAndDeadLettersRejected) {
  Spool spool(dir_, 1 << 20, stats_);
  ASSERT_TRUE(spool.append(bodies(0, 3)));
  const auto all = spool.read_after(0, 10);
  ASSERT_TRUE(spool.complete({all[0].id}, {{all[1].id, 400, "bad field"}}));
  EXPECT_EQ(texts(spool.read_after(0, 10)), bodies(2, 3));
  EXPECT_EQ(spool.records(), 1u);
  EXPECT_EQ(spool.bytes(), bodies(2, 3)[0].size() + Spool::kRowOverhead);
  EXPECT_EQ(query_one("SELECT status || ' ' || body || ' ' || response FROM dead_letter"),
            "400 {\"n\":1} bad field");
}

TEST_F(SpoolTest, IdsAreNeverReusedAfterTheSpoolEmpties) {
  Spool spool(dir_, 1 << 20, stats_);
  ASSERT_TRUE(spool.append(bodies(0, 2)));
  const auto first = spool.read_after(0, 10);
  ASSERT_TRUE(spool.complete({first[0].id, first[1].id}, {}));
  ASSERT_TRUE(spool.append(bodies(2, 3)));
  EXPECT_EQ(texts(spool.read_after(first[1].id, 10)), bodies(2, 3));
}

TEST_F(SpoolTest, PastTheCapTheOldestAreDroppedAndCounted) {
  const uint64_t per_record = bodies(10, 11)[0].size() + Spool::kRowOverhead;
  Spool spool(dir_, per_record * 10, stats_);
  ASSERT_TRUE(spool.append(bodies(10, 18)));
  ASSERT_TRUE(spool.append(bodies(18, 25)));
  EXPECT_EQ(spool.records(), 10u);
  EXPECT_LE(spool.bytes(), per_record * 10);
  EXPECT_EQ(stats_.dropped.value(DeliverDrop::kSpoolFull), 5u);
  EXPECT_EQ(texts(spool.read_after(0, 100)), bodies(15, 25));
  EXPECT_EQ(stats_.spool_bytes.value(), spool.bytes());
}

TEST_F(SpoolTest, AnUnusableDirectoryIsAStartUpError) {
  EXPECT_THROW(Spool("/proc/flowd-cannot-be-here", 1 << 20, stats_), std::runtime_error);
}

TEST(RecordQueue, IsBoundedAndHandsOverInOrder) {
  RecordQueue queue(2);
  EXPECT_TRUE(queue.push("a"));
  EXPECT_TRUE(queue.push("b"));
  EXPECT_FALSE(queue.push("c"));
  std::vector<std::string> out{"x"};
  queue.take_all(out);
  EXPECT_EQ(out, (std::vector<std::string>{"x", "a", "b"}));
  EXPECT_EQ(queue.size(), 0u);
}

}  // namespace
}  // namespace flowd
