// A damaged spool.db at start: moved aside, its readable records carried over
// to a fresh spool, one error and a count, and delivery goes on.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "admissions.h"
#include "integration/daemon_process.h"
#include "onefirewall_flowd/deliver/delivery_scheduler.h"
#include "onefirewall_flowd/deliver/spool.h"

namespace flowd::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr int kRecords = 500;

class SpoolDamageTest : public ::testing::Test {
 protected:
  SpoolSettings settings() const {
    return {dir_.path(), 1 << 30, 24h, 1'000'000, DeliveryOrder::kHostsFirst};
  }
  fs::path file() const { return dir_ / "spool.db"; }

  // A closed spool of kRecords records of as many hosts, all in spool.db (no WAL).
  void write_spool() const {
    DeliverStats stats;
    std::vector<Admission> records;
    for (int i = 0; i < kRecords; ++i) {
      records.push_back(allow("45.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1), kT0, i));
    }
    Spool spool(settings(), stats, kT0);
    ASSERT_TRUE(spool.append(records, kT0, InFlightSet{}));
  }
  void overwrite(uint64_t offset, size_t size) const {
    std::fstream out(file(), std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(offset));
    const std::string garbage(size, '\xa5');
    out.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  std::vector<fs::path> moved_aside() const {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(dir_.path())) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("spool.db.damaged-2027") && !name.ends_with("-wal") && !name.ends_with("-shm"))
        out.push_back(entry.path());
    }
    return out;
  }
  static std::string quick_check(const fs::path& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    std::string result = "error";
    sqlite3_exec(
        db, "PRAGMA quick_check",
        [](void* r, int, char** v, char**) {
          *static_cast<std::string*>(r) = v[0] ? v[0] : "";
          return 0;
        },
        &result, nullptr);
    sqlite3_close(db);
    return result;
  }
  // Delivers everything waiting; returns how many went.
  static uint64_t deliver_all(DeliveryScheduler& scheduler) {
    uint64_t n = 0;
    while (auto dispatch = scheduler.take(kT0)) {
      scheduler.delivered(*dispatch, kT0);
      EXPECT_TRUE(scheduler.commit(kT0));
      ++n;
    }
    return n;
  }

  itest::TempDir dir_;
  DeliverStats stats_;
};

TEST_F(SpoolDamageTest, AnIntactSpoolIsOpenedAsItIs) {
  write_spool();
  Spool spool(settings(), stats_, kT0);
  EXPECT_EQ(spool.records(), static_cast<uint64_t>(kRecords));
  EXPECT_EQ(stats_.spool_damaged.value(), 0u);
  EXPECT_TRUE(moved_aside().empty());
}

TEST_F(SpoolDamageTest, AnOverwrittenPageIsMovedAsideAndTheReadableRecordsCarriedOver) {
  write_spool();
  const uint64_t size = fs::file_size(file());
  overwrite(size / 4096 / 2 * 4096, 4096);
  DeliveryScheduler scheduler(settings(), 24h, stats_, kT0);
  EXPECT_EQ(stats_.spool_damaged.value(), 1u);
  ASSERT_EQ(moved_aside().size(), 1u);
  EXPECT_EQ(fs::file_size(moved_aside()[0]), size) << "the damaged file is kept as it was";
  const uint64_t salvaged = scheduler.spool().records();
  EXPECT_EQ(stats_.records_salvaged.value(), salvaged);
  EXPECT_GT(salvaged, kRecords * 3u / 4) << "only the records of the damaged page are lost";
  EXPECT_LT(salvaged, static_cast<uint64_t>(kRecords));
  EXPECT_EQ(scheduler.spool().hosts(), salvaged);
  EXPECT_EQ(quick_check(file()), "ok");

  // New records are taken, and the totals come down to zero, never wrapping below it.
  ASSERT_TRUE(scheduler.admit({allow("203.0.113.9", kT0)}, kT0));
  EXPECT_EQ(deliver_all(scheduler), salvaged + 1);
  EXPECT_EQ(scheduler.spool().records(), 0u);
  EXPECT_EQ(scheduler.spool().bytes(), 0u);
  EXPECT_EQ(stats_.spool_bytes.value(), 0u);
  EXPECT_EQ(stats_.waiting_hosts.value(), 0u);
}

TEST_F(SpoolDamageTest, AHalfTruncatedSpoolIsMovedAsideInsteadOfStoppingTheDaemon) {
  write_spool();
  fs::resize_file(file(), fs::file_size(file()) / 2);
  std::optional<Spool> spool;
  ASSERT_NO_THROW(spool.emplace(settings(), stats_, kT0));
  EXPECT_EQ(stats_.spool_damaged.value(), 1u);
  EXPECT_EQ(moved_aside().size(), 1u);
  EXPECT_EQ(stats_.records_salvaged.value(), spool->records());
  EXPECT_GT(spool->records(), kRecords / 3u) << "the records in the half that is left are carried over";
  EXPECT_TRUE(spool->append({allow("203.0.113.9", kT0)}, kT0, InFlightSet{}));
}

TEST_F(SpoolDamageTest, AFileThatIsNotADatabaseIsMovedAsideAndAFreshSpoolStarts) {
  write_spool();
  overwrite(0, 4096);
  std::optional<Spool> spool;
  ASSERT_NO_THROW(spool.emplace(settings(), stats_, kT0));
  EXPECT_EQ(stats_.spool_damaged.value(), 1u);
  EXPECT_EQ(moved_aside().size(), 1u);
  EXPECT_EQ(spool->records(), 0u);
  EXPECT_TRUE(spool->append({allow("203.0.113.9", kT0)}, kT0, InFlightSet{}));
  EXPECT_EQ(spool->records(), 1u);
}

TEST_F(SpoolDamageTest, AZeroLengthSpoolIsCountedAsDamagedAndMovedAside) {
  write_spool();
  fs::resize_file(file(), 0);
  Spool spool(settings(), stats_, kT0);
  EXPECT_EQ(stats_.spool_damaged.value(), 1u);
  ASSERT_EQ(moved_aside().size(), 1u);
  EXPECT_EQ(fs::file_size(moved_aside()[0]), 0u);
  EXPECT_TRUE(spool.append({allow("203.0.113.9", kT0)}, kT0, InFlightSet{}));
}

}  // namespace
}  // namespace flowd::testing
