// The spool on disk: spool.max_size counts the files, the WAL is cut back,
// and a full disk loses and repeats nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "admissions.h"
#include "integration/daemon_process.h"
#include "onefirewall_flowd/deliver/delivery_scheduler.h"
#include "small_disk.h"

namespace flowd::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class SpoolDiskTest : public ::testing::Test {
 protected:
  void open(const fs::path& dir, uint64_t max_bytes) {
    scheduler_.reset();
    scheduler_ = std::make_unique<DeliveryScheduler>(
        SpoolSettings{dir, max_bytes, 24h, 1'000'000, DeliveryOrder::kHostsFirst}, 24h, stats_, kT0);
  }
  // `n` records of `hosts` hosts, distinct from every other batch.
  std::vector<Admission> batch(int n, int hosts) {
    std::vector<Admission> out;
    for (int i = 0; i < n; ++i, ++made_) {
      out.push_back(allow("45.2.0." + std::to_string(i % hosts + 1), kT0, made_));
    }
    return out;
  }
  static uint64_t files_size(const fs::path& dir) {
    uint64_t total = 0;
    for (const char* name : {"spool.db", "spool.db-wal"}) {
      std::error_code ec;
      const auto size = fs::file_size(dir / name, ec);
      if (!ec) total += size;
    }
    return total;
  }

  itest::TempDir dir_;
  DeliverStats stats_;
  std::unique_ptr<DeliveryScheduler> scheduler_;
  int made_ = 0;
};

TEST_F(SpoolDiskTest, MaintenanceTruncatesTheWalAndGivesFreedPagesBack) {
  open(dir_.path(), 1ull << 30);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(scheduler_->admit(batch(500, 50), kT0));
  const uint64_t full = files_size(dir_.path());
  while (auto dispatch = scheduler_->take(kT0)) {
    scheduler_->delivered(*dispatch, kT0);
    ASSERT_TRUE(scheduler_->commit(kT0));
  }
  scheduler_->maintain(kT0);
  EXPECT_EQ(fs::file_size(dir_ / "spool.db-wal"), 0u);
  EXPECT_LT(files_size(dir_.path()), full / 4) << "spool.db shrinks when the backlog drains";
  EXPECT_EQ(stats_.spool_disk_bytes.value(), scheduler_->spool().disk_bytes());
}

TEST_F(SpoolDiskTest, TheFilesOnDiskStayWithinMaxSizeWhileRecordsLeaveOutOfOrder) {
  constexpr uint64_t kMax = Spool::kMinDiskCap;
  open(dir_.path(), kMax);
  uint64_t largest = 0;
  for (int round = 0; round < 150; ++round) {
    ASSERT_TRUE(scheduler_->admit(batch(100, 40), kT0));
    for (int i = 0; i < 40; ++i) {  // one record of each host: deletes all over the file
      auto dispatch = scheduler_->take(kT0);
      ASSERT_TRUE(dispatch);
      scheduler_->delivered(*dispatch, kT0);
    }
    ASSERT_TRUE(scheduler_->commit(kT0));
    if (round % 10 == 0) scheduler_->maintain(kT0);
    largest = std::max(largest, scheduler_->spool().disk_bytes());
  }
  EXPECT_GT(stats_.dropped.value(DeliverDrop::kSpoolFull), 0u);
  EXPECT_LE(largest, kMax + 64 * 1024) << "pages in use plus the WAL, within one batch of the cap";
  scheduler_->maintain(kT0);
  EXPECT_LE(files_size(dir_.path()), kMax + 64 * 1024);
}

TEST_F(SpoolDiskTest, OnAFullDiskAnAnsweredRecordIsNeverHandedOutAgainAndLeavesWhenSpaceReturns) {
  SmallDisk disk(dir_ / "disk", 4 << 20);
  if (!disk.mounted()) GTEST_SKIP() << disk.skip_reason();
  open(disk.path() / "spool", Spool::kMinDiskCap);
  ASSERT_TRUE(scheduler_->admit(batch(200, 200), kT0));
  std::vector<Dispatch> out;
  for (int i = 0; i < 100; ++i) out.push_back(*scheduler_->take(kT0));
  scheduler_->maintain(kT0);  // the WAL is empty: the next write needs new space
  disk.fill();

  for (const auto& dispatch : out) scheduler_->delivered(dispatch, kT0);
  EXPECT_FALSE(scheduler_->commit(kT0));
  EXPECT_EQ(scheduler_->uncommitted(), 100u);
  EXPECT_FALSE(scheduler_->admit(batch(1, 1), kT0)) << "the disk is full";
  EXPECT_EQ(scheduler_->ready(), 100u);

  disk.release();
  std::set<int64_t> answered;
  for (const auto& dispatch : out) answered.insert(dispatch.record.id);
  auto next = scheduler_->take(kT0);  // before the removals commit
  ASSERT_TRUE(next);
  EXPECT_FALSE(answered.contains(next->record.id));
  scheduler_->retry(*next);
  ASSERT_TRUE(scheduler_->commit(kT0));
  EXPECT_EQ(scheduler_->uncommitted(), 0u);
  EXPECT_EQ(scheduler_->spool().records(), 100u);
  EXPECT_EQ(stats_.spool_bytes.value(), scheduler_->spool().bytes());

  open(disk.path() / "spool", Spool::kMinDiskCap);  // a restart sends only the 100 never answered
  std::set<int64_t> sent;
  while (auto dispatch = scheduler_->take(kT0)) {
    EXPECT_FALSE(answered.contains(dispatch->record.id));
    sent.insert(dispatch->record.id);
    scheduler_->delivered(*dispatch, kT0);
    ASSERT_TRUE(scheduler_->commit(kT0));
  }
  EXPECT_EQ(sent.size(), 100u);
}

}  // namespace
}  // namespace flowd::testing
