#include "onefirewall_flowd/deliver/spool.h"

#include <sqlite3.h>

#include <stdexcept>

#include "sqlite_statement.h"

namespace flowd {
namespace {

constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS spool("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"  // never reused, so ids stay FIFO
    "  body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS dead_letter("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  status INTEGER NOT NULL,"
    "  body TEXT NOT NULL,"
    "  response TEXT NOT NULL);";

// Runs `work` inside a transaction, committing only when it succeeds.
template <typename Work>
bool in_transaction(sqlite3* db, Work&& work) {
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
  if (!work()) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }
  return sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace

Spool::Spool(const std::filesystem::path& dir, uint64_t max_bytes, DeliverStats& stats)
    : file_(dir / "spool.db"), max_bytes_(max_bytes), stats_(stats) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (sqlite3_open(file_.c_str(), &db_) != SQLITE_OK) {
    const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open the spool " + file_.string() + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
  char* error = nullptr;
  if (sqlite3_exec(db_, kSchema, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot set up the spool " + file_.string() + ": " + why);
  }
  load_totals();
  update_gauges();
}

Spool::~Spool() {
  sqlite3_close(db_);
}

void Spool::load_totals() {
  SqliteStatement totals(db_, "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM spool");
  if (totals.step() != SQLITE_ROW) return;
  records_ = static_cast<uint64_t>(totals.int64(0));
  bytes_ = static_cast<uint64_t>(totals.int64(1)) + records_ * kRowOverhead;
}

void Spool::update_gauges() {
  stats_.spool_bytes.set(bytes_);
}

bool Spool::insert_all(const std::vector<std::string>& bodies) {
  SqliteStatement insert(db_, "INSERT INTO spool(body) VALUES (?)");
  for (const auto& body : bodies) {
    insert.bind(1, body);
    if (insert.step() != SQLITE_DONE) return false;
    insert.reset();
  }
  return true;
}

bool Spool::append(const std::vector<std::string>& bodies) {
  if (bodies.empty()) return true;
  if (!in_transaction(db_, [&] { return insert_all(bodies); })) return false;
  for (const auto& body : bodies) bytes_ += body.size() + kRowOverhead;
  records_ += bodies.size();
  const bool trimmed = bytes_ <= max_bytes_ || trim_to_cap();
  update_gauges();
  return trimmed;
}

bool Spool::trim_to_cap() {
  int64_t last_id = 0;
  uint64_t freed = 0;
  uint64_t count = 0;
  while (bytes_ - freed > max_bytes_) {
    SqliteStatement oldest(db_, "SELECT id, LENGTH(body) FROM spool WHERE id > ? ORDER BY id LIMIT 4096");
    oldest.bind(1, last_id);
    bool any = false;
    while (bytes_ - freed > max_bytes_ && oldest.step() == SQLITE_ROW) {
      any = true;
      last_id = oldest.int64(0);
      freed += static_cast<uint64_t>(oldest.int64(1)) + kRowOverhead;
      ++count;
    }
    if (!any) break;
  }
  if (count == 0) return true;
  SqliteStatement drop(db_, "DELETE FROM spool WHERE id <= ?");
  drop.bind(1, last_id);
  if (drop.step() != SQLITE_DONE) return false;
  bytes_ -= freed;
  records_ -= count;
  dropped_through_ = last_id;
  stats_.dropped.add(DeliverDrop::kSpoolFull, count);
  return true;
}

std::vector<SpooledRecord> Spool::read_after(int64_t after_id, size_t limit) {
  std::vector<SpooledRecord> out;
  SqliteStatement select(db_, "SELECT id, body FROM spool WHERE id > ? ORDER BY id LIMIT ?");
  select.bind(1, after_id);
  select.bind(2, static_cast<int64_t>(limit));
  while (select.step() == SQLITE_ROW) out.push_back({select.int64(0), std::string(select.text(1))});
  return out;
}

bool Spool::remove(int64_t id) {
  SqliteStatement drop(db_, "DELETE FROM spool WHERE id = ? RETURNING LENGTH(body)");
  drop.bind(1, id);
  const int rc = drop.step();
  if (rc == SQLITE_ROW) {
    bytes_ -= static_cast<uint64_t>(drop.int64(0)) + kRowOverhead;
    --records_;
    while (drop.step() == SQLITE_ROW) {
    }
    return true;
  }
  return rc == SQLITE_DONE;  // already gone (dropped for space)
}

bool Spool::dead_letter(const DeadLetter& letter) {
  SqliteStatement copy(
      db_, "INSERT INTO dead_letter(status, body, response) SELECT ?, body, ? FROM spool WHERE id = ?");
  copy.bind(1, static_cast<int64_t>(letter.status));
  copy.bind(2, letter.response);
  copy.bind(3, letter.id);
  if (copy.step() != SQLITE_DONE) return false;
  SqliteStatement prune(db_, "DELETE FROM dead_letter WHERE id <= (SELECT MAX(id) FROM dead_letter) - ?");
  prune.bind(1, kDeadLetterKeep);
  return prune.step() == SQLITE_DONE && remove(letter.id);
}

bool Spool::complete(const std::vector<int64_t>& delivered, const std::vector<DeadLetter>& rejected) {
  if (delivered.empty() && rejected.empty()) return true;
  const uint64_t records_before = records_, bytes_before = bytes_;
  const bool ok = in_transaction(db_, [&] {
    for (const int64_t id : delivered) {
      if (!remove(id)) return false;
    }
    for (const auto& letter : rejected) {
      if (!dead_letter(letter)) return false;
    }
    return true;
  });
  if (!ok) {
    records_ = records_before;
    bytes_ = bytes_before;
  }
  update_gauges();
  return ok;
}

}  // namespace flowd
