// The spool as a database: what it keeps across a reopen, dead letters, and
// the upgrade of a spool written by the release before "Delivery order".
#include "onefirewall_flowd/deliver/spool.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <sstream>

#include "admissions.h"
#include "integration/daemon_process.h"
#include "onefirewall_flowd/deliver/delivery_scheduler.h"
#include "onefirewall_flowd/deliver/record_queue.h"

namespace flowd::testing {
namespace {

using namespace std::chrono_literals;

class SpoolTest : public ::testing::Test {
 protected:
  SpoolSettings settings() const {
    return {dir_.path(), 1 << 20, 24h, 1'000'000, DeliveryOrder::kHostsFirst};
  }

  std::string query(const std::string& sql) const {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "spool.db").c_str(), &db);
    std::string out;
    sqlite3_exec(
        db, sql.c_str(),
        [](void* o, int n, char** v, char**) {
          auto& text = *static_cast<std::string*>(o);
          for (int i = 0; i < n; ++i)
            text += std::string(i ? "|" : (text.empty() ? "" : "\n")) + (v[i] ? v[i] : "");
          return 0;
        },
        &out, nullptr);
    sqlite3_close(db);
    return out;
  }
  void exec(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "spool.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  // Takes and delivers every waiting record; returns the bodies in the order they went.
  static std::vector<std::string> drain(DeliveryScheduler& scheduler, int64_t now) {
    std::vector<std::string> bodies;
    while (auto dispatch = scheduler.take(now)) {
      bodies.push_back(dispatch->record.body);
      scheduler.delivered(*dispatch, now);
      EXPECT_TRUE(scheduler.commit(now));
      now += 100;
    }
    return bodies;
  }

  itest::TempDir dir_;
  DeliverStats stats_;
};

TEST_F(SpoolTest, KeepsRecordsHostsAndTotalsAcrossAReopen) {
  const std::vector<Admission> records{allow("45.0.0.1", kT0, 0), deny("45.0.0.1", kT0, 1),
                                       allow("2001:db8::7", kT0, 2)};
  uint64_t bytes = 0;
  for (const auto& r : records) bytes += r.body.size() + Spool::kRowOverhead;
  {
    Spool spool(settings(), stats_, kT0);
    ASSERT_TRUE(spool.append(records, kT0, InFlightSet{}));
  }
  Spool spool(settings(), stats_, kT0);
  EXPECT_EQ(spool.records(), 3u);
  EXPECT_EQ(spool.hosts(), 2u);
  EXPECT_EQ(spool.bytes(), bytes);
  EXPECT_EQ(stats_.spool_bytes.value(), bytes);
  EXPECT_EQ(spool.oldest_admitted_ms(), kT0);
  EXPECT_EQ(query("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query("PRAGMA user_version"), std::to_string(Spool::kSchemaVersion));
  EXPECT_EQ(query("SELECT hex(host), deny FROM spool ORDER BY id"),
            "2D000001|0\n2D000001|1\n20010DB8000000000000000000000007|0");
}

TEST_F(SpoolTest, SizesAreCountedInBytesEvenForUtf8Names) {
  Admission record = allow("45.0.0.1", kT0);
  const std::string ascii = "\"edge-fw-1\"";
  record.body.replace(record.body.find(ascii), ascii.size(), "\"pare-feu-\u00e9t\u00e9\"");
  DeliveryScheduler scheduler(settings(), 24h, stats_, kT0);
  ASSERT_TRUE(scheduler.admit({record}, kT0));
  EXPECT_EQ(scheduler.spool().bytes(), record.body.size() + Spool::kRowOverhead);
  { DeliveryScheduler reopened(settings(), 24h, stats_, kT0); }
  DeliveryScheduler reopened(settings(), 24h, stats_, kT0);
  EXPECT_EQ(reopened.spool().bytes(), record.body.size() + Spool::kRowOverhead);
  const auto dispatch = reopened.take(kT0);
  ASSERT_TRUE(dispatch);
  reopened.delivered(*dispatch, kT0);
  ASSERT_TRUE(reopened.commit(kT0));
  EXPECT_EQ(reopened.spool().bytes(), 0u);
}

TEST_F(SpoolTest, AdmissionTimesNeverGoBackSoIdsOrderThem) {
  Spool spool(settings(), stats_, kT0);
  ASSERT_TRUE(spool.append({allow("45.0.0.1", kT0 + 500), allow("45.0.0.2", kT0 + 100)}, kT0, InFlightSet{}));
  EXPECT_EQ(query("SELECT admitted - " + std::to_string(kT0) + " FROM spool ORDER BY id"), "500\n500");
}

TEST_F(SpoolTest, ARejectedRecordMovesToDeadLetterWithTheAnswer) {
  DeliveryScheduler scheduler(settings(), 24h, stats_, kT0);
  const auto record = deny("45.0.0.4", kT0);
  ASSERT_TRUE(scheduler.admit({record}, kT0));
  const auto dispatch = scheduler.take(kT0);
  ASSERT_TRUE(dispatch);
  scheduler.rejected(*dispatch, 400, "bad field");
  ASSERT_TRUE(scheduler.commit(kT0));
  EXPECT_EQ(scheduler.spool().records(), 0u);
  EXPECT_EQ(scheduler.spool().hosts(), 0u);
  EXPECT_EQ(scheduler.spool().remembered_hosts(), 0u);  // a rejection reports nothing
  EXPECT_EQ(query("SELECT status, body, response FROM dead_letter"), "400|" + record.body + "|bad field");
  EXPECT_EQ(stats_.dead_lettered.value(), 1u);
}

TEST_F(SpoolTest, IdsAreNeverReusedAfterTheSpoolEmpties) {
  DeliveryScheduler scheduler(settings(), 24h, stats_, kT0);
  ASSERT_TRUE(scheduler.admit({allow("45.0.0.1", kT0), allow("45.0.0.2", kT0)}, kT0));
  int64_t last = 0;
  while (auto d = scheduler.take(kT0)) {
    last = std::max(last, d->record.id);
    scheduler.delivered(*d, kT0);
  }
  ASSERT_TRUE(scheduler.commit(kT0));
  ASSERT_TRUE(scheduler.admit({allow("45.0.0.3", kT0)}, kT0));
  const auto next = scheduler.take(kT0);
  ASSERT_TRUE(next);
  EXPECT_GT(next->record.id, last);
}

TEST_F(SpoolTest, AnUnusableDirectoryIsAStartUpError) {
  SpoolSettings s = settings();
  s.dir = "/proc/flowd-cannot-be-here";
  EXPECT_THROW(Spool(s, stats_, kT0), std::runtime_error);
}

TEST_F(SpoolTest, ASpoolOfANewerReleaseIsRefusedAndLeftAlone) {
  { Spool spool(settings(), stats_, kT0); }
  exec("PRAGMA user_version=9");
  try {
    Spool spool(settings(), stats_, kT0);
    FAIL() << "opened a schema-9 spool";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("schema 9"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find((dir_ / "spool.db").string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(query("PRAGMA user_version"), "9");
}

// tests/deliver/fixtures/spool-v1.db was written by the daemon of the release
// before (b693e89) with make_spool_v1.py: 32 records, none delivered.
TEST_F(SpoolTest, UpgradesASpoolWrittenByTheReleaseBeforeAndDeliversItsRecords) {
  std::filesystem::copy_file(FLOWD_SOURCE_DIR "/tests/deliver/fixtures/spool-v1.db", dir_ / "spool.db");
  const std::string bodies_before = query("SELECT body FROM spool ORDER BY id");
  const auto body = lines(bodies_before);  // body[id - 1]: the ids run 1..32
  ASSERT_EQ(body.size(), 32u);
  DeliveryScheduler scheduler(settings(), 24h, stats_, kT0);
  EXPECT_EQ(query("PRAGMA user_version"), "2");
  EXPECT_EQ(scheduler.spool().records(), 32u);
  EXPECT_EQ(scheduler.spool().hosts(), 17u);  // 45.0.0.{1,2,3,10..17}, 198.51.100.{1..6}
  EXPECT_EQ(query("SELECT body FROM spool ORDER BY id"), bodies_before);
  EXPECT_EQ(query("SELECT COUNT(*) FROM spool WHERE admitted = " + std::to_string(kT0)), "32");
  EXPECT_EQ(query("SELECT COUNT(*) FROM spool WHERE deny = 1"), "9");
  const auto order = drain(scheduler, kT0 + 1000);
  ASSERT_EQ(order.size(), 32u);
  // Every host once first: Allow hosts, oldest first, then Deny-only hosts.
  const std::vector<int> first_ids{1, 7, 13, 19, 20, 27, 28, 29, 21, 22, 23, 24, 25, 26, 30, 31, 32};
  for (size_t i = 0; i < first_ids.size(); ++i) {
    EXPECT_EQ(order[i], body[first_ids[i] - 1]) << "position " << i;
  }
  // Then the three busy hosts in turn.
  EXPECT_EQ(order[17], body[1]);
  EXPECT_EQ(order[18], body[7]);
  EXPECT_EQ(order[19], body[13]);
  EXPECT_EQ(scheduler.spool().records(), 0u);
  EXPECT_EQ(stats_.new_hosts_reported.value(), 17u);
}

TEST_F(SpoolTest, TheUpgradeKeepsARecordWhoseBodyItCannotRead) {
  exec(
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE spool(id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);"
      "CREATE TABLE dead_letter(id INTEGER PRIMARY KEY AUTOINCREMENT, rejected_at TEXT NOT NULL DEFAULT 'x',"
      " status INTEGER NOT NULL, body TEXT NOT NULL, response TEXT NOT NULL);"
      "INSERT INTO spool(body) VALUES ('not json'), "
      "('{\"direction\":\"outbound\",\"dst_ip\":\"198.51.100.9\","
      "\"action\":\"Deny\"}');"
      "INSERT INTO dead_letter(status, body, response) VALUES (400, 'old', 'kept');");
  DeliveryScheduler scheduler(settings(), 24h, stats_, kT0);
  EXPECT_EQ(query("SELECT hex(host), deny FROM spool ORDER BY id"), "|0\nC6336409|1");
  EXPECT_EQ(query("SELECT status, body, response FROM dead_letter"), "400|old|kept");
  EXPECT_EQ(drain(scheduler, kT0).size(), 2u);
}

TEST(RecordQueue, IsBoundedAndHandsOverInOrder) {
  RecordQueue queue(2);
  EXPECT_TRUE(queue.push(allow("45.0.0.1", kT0)));
  EXPECT_TRUE(queue.push(allow("45.0.0.2", kT0)));
  EXPECT_FALSE(queue.push(allow("45.0.0.3", kT0)));
  std::vector<Admission> out{allow("45.0.0.9", kT0)};
  queue.take_all(out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].host.to_string(), "45.0.0.1");
  EXPECT_EQ(out[2].host.to_string(), "45.0.0.2");
  EXPECT_EQ(queue.size(), 0u);
}

}  // namespace
}  // namespace flowd::testing
