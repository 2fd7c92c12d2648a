#include "onefirewall_flowd/deliver/budget_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "sqlite_statement.h"

namespace flowd {
namespace {

// arrived = 0: started, not known to have reached the server; sent_ms is its start.
constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS request_budget ("
    "tag INTEGER NOT NULL, sent_ms INTEGER NOT NULL, arrived INTEGER NOT NULL DEFAULT 0)";
constexpr const char* kInsert = "INSERT INTO request_budget (tag, sent_ms, arrived) VALUES (?1, ?2, 0)";
constexpr const char* kUpdate =
    "UPDATE request_budget SET sent_ms = ?2, arrived = 1 WHERE tag = ?1 AND arrived = 0";
// ?1: the start of the period; ?2: the longest trip, which an unarrived request may still take.
constexpr const char* kPrune =
    "DELETE FROM request_budget WHERE sent_ms + CASE WHEN arrived THEN 0 ELSE ?2 END <= ?1";
constexpr size_t kMaxNoted = 100'000;  // bounds memory while the database refuses writes

}  // namespace

BudgetStore::BudgetStore(const std::filesystem::path& file, std::chrono::milliseconds period,
                         std::chrono::milliseconds longest_trip)
    : file_(file), period_ms_(period.count()), longest_trip_ms_(longest_trip.count()) {
  const bool opened = sqlite3_open(file_.c_str(), &db_) == SQLITE_OK;
  if (opened) sqlite3_busy_timeout(db_, 5000);
  if (!opened || !exec(kSchema)) {
    const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot keep the request budget in " + file_.string() + ": " + why);
  }
  insert_ = std::make_unique<SqliteStatement>(db_, kInsert);
  update_ = std::make_unique<SqliteStatement>(db_, kUpdate);
  prune_ = std::make_unique<SqliteStatement>(db_, kPrune);
  if (!insert_->ok() || !update_->ok() || !prune_->ok()) {
    const std::string why = sqlite3_errmsg(db_);
    insert_.reset();
    update_.reset();
    prune_.reset();
    sqlite3_close(db_);
    throw std::runtime_error("cannot prepare the request budget in " + file_.string() + ": " + why);
  }
}

BudgetStore::~BudgetStore() {
  insert_.reset();
  update_.reset();
  prune_.reset();
  sqlite3_close(db_);
}

bool BudgetStore::exec(const char* sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::vector<int64_t> BudgetStore::load(int64_t now_ms) {
  // What was in flight at the end of the last run is settled now, so a later start reads it the same.
  const std::string settle = "UPDATE request_budget SET sent_ms = MIN(sent_ms + " +
                             std::to_string(longest_trip_ms_) + ", " + std::to_string(now_ms) +
                             "), arrived = 1 WHERE arrived = 0";
  exec(settle.c_str());
  flush(now_ms);
  std::vector<int64_t> arrivals;
  SqliteStatement select(db_, "SELECT sent_ms FROM request_budget ORDER BY sent_ms");
  while (select.step() == SQLITE_ROW) {
    // A send time after now means the wall clock went back: it counts as now.
    arrivals.push_back(std::min(select.int64(0), now_ms));
  }
  return arrivals;
}

void BudgetStore::started(uint64_t tag, int64_t start_ms) {
  if (noted_.size() < kMaxNoted) noted_.push_back({tag, start_ms, false});
}

void BudgetStore::arrived(uint64_t tag, int64_t arrival_ms) {
  if (noted_.size() < kMaxNoted) noted_.push_back({tag, arrival_ms, true});
}

bool BudgetStore::flush(int64_t now_ms) {
  if (!exec("BEGIN IMMEDIATE")) return false;
  if (!write(now_ms) || !exec("COMMIT")) {
    exec("ROLLBACK");
    return false;
  }
  noted_.clear();
  return true;
}

bool BudgetStore::write(int64_t now_ms) {
  for (const Note& note : noted_) {
    SqliteStatement& statement = note.arrival ? *update_ : *insert_;
    StatementScope scope(statement);
    scope->bind(1, static_cast<int64_t>(note.tag));
    scope->bind(2, note.ms);
    if (!scope->run()) return false;
  }
  StatementScope prune(*prune_);
  prune->bind(1, now_ms - period_ms_);
  prune->bind(2, longest_trip_ms_);
  return prune->run();
}

}  // namespace flowd
