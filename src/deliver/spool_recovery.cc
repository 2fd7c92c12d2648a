// What the spool does with a damaged spool.db at start: check it, move it
// aside, and carry over the records that can still be read.
#include "spool_recovery.h"

#include <algorithm>
#include <ctime>
#include <limits>
#include <stdexcept>

#include "spool_schema.h"
#include "sqlite_statement.h"

namespace flowd::spool_detail {
namespace {

// Damaged pages skipped at most while salvaging, so that a file of garbage cannot take long.
constexpr int kMaxSkips = 10'000;

std::string utc_stamp(int64_t now_ms) {
  const std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// The first id above `after` that a seek can reach, jumping ever further past
// damaged pages; nullopt when none is left.
std::optional<int64_t> next_readable(sqlite3* db, int64_t after) {
  SqliteStatement probe(db, "SELECT id FROM spool WHERE id > ?1 ORDER BY id LIMIT 1");
  for (int64_t gap = 1;
       gap <= std::numeric_limits<int64_t>::max() / 4 && after <= std::numeric_limits<int64_t>::max() - gap;
       gap *= 2) {
    probe.bind(1, after + gap);
    const int rc = probe.step();
    if (rc == SQLITE_ROW) return probe.int64(0);
    if (rc == SQLITE_DONE) return std::nullopt;
    probe.reset();
  }
  return std::nullopt;
}

// Copies rows of `read` (id, body, host, deny, admitted; ?1 the last id copied)
// into `insert`, skipping damaged pages. Returns how many were copied.
uint64_t copy_rows(sqlite3* old, SqliteStatement& read, SqliteStatement& insert) {
  uint64_t copied = 0;
  int64_t after = 0;
  for (int skips = 0; skips < kMaxSkips; ++skips) {
    read.bind(1, after);
    int rc = SQLITE_OK;
    while ((rc = read.step()) == SQLITE_ROW) {
      after = std::max(after, read.int64(0));
      insert.bind(1, read.int64(0));
      insert.bind(2, read.text(1));
      insert.bind_blob(3, std::string_view(read.blob(2)));
      insert.bind(4, read.int64(3) != 0 ? int64_t{1} : int64_t{0});
      insert.bind(5, read.int64(4));
      if (insert.run()) ++copied;
      insert.reset();
    }
    read.reset();
    if (rc == SQLITE_DONE) break;
    const auto next = next_readable(old, after);
    if (!next) break;
    after = *next - 1;
  }
  return copied;
}

}  // namespace

std::optional<std::string> integrity_problem(sqlite3* db, const std::string& file) {
  SqliteStatement check(db, "PRAGMA quick_check(1)");
  const int rc = check.step();
  if (rc == SQLITE_ROW) {
    std::string result(check.text(0));
    if (result == "ok") return std::nullopt;
    std::replace(result.begin(), result.end(), '\n', ' ');
    return "quick_check: " + result;
  }
  const int error = sqlite3_errcode(db);
  if (error == SQLITE_BUSY || error == SQLITE_LOCKED) {
    throw std::runtime_error("cannot check the spool " + file + ": " + sqlite3_errmsg(db) +
                             " (is another daemon using it?)");
  }
  return std::string(sqlite3_errmsg(db));
}

bool is_damage(int sqlite_error) {
  const int primary = sqlite_error & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || primary == SQLITE_FORMAT ||
         primary == SQLITE_IOERR;
}

std::filesystem::path move_aside(const std::filesystem::path& file, int64_t now_ms) {
  const std::filesystem::path aside = file.string() + ".damaged-" + utc_stamp(now_ms);
  std::error_code ec;
  std::filesystem::rename(file, aside, ec);
  if (ec) {
    throw std::runtime_error("the spool " + file.string() + " is damaged and cannot be moved aside to " +
                             aside.string() + ": " + ec.message());
  }
  // The WAL goes with it, under the name SQLite looks for beside the moved file.
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::rename(file.string() + suffix, aside.string() + suffix, ec);
  }
  return aside;
}

uint64_t salvage(const std::filesystem::path& damaged, sqlite3* fresh, int64_t now_ms) {
  sqlite3* old = nullptr;
  if (sqlite3_open_v2(damaged.c_str(), &old, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(old);
    return 0;
  }
  // Reads a file cut short as far as it goes, rather than refusing it as a whole.
  sqlite3_exec(old, "PRAGMA writable_schema=ON", nullptr, nullptr, nullptr);
  uint64_t copied = 0;
  {
    SqliteStatement read(old, "SELECT id, body, host, deny, admitted FROM spool WHERE id > ?1 ORDER BY id");
    // Schema 1 had no host, action or admission time: one host, Allow, admitted now.
    const std::string v1 =
        "SELECT id, body, x'', 0, " + std::to_string(now_ms) + " FROM spool WHERE id > ?1 ORDER BY id";
    SqliteStatement read_v1(old, v1.c_str());
    SqliteStatement insert(fresh,
                           "INSERT INTO spool(id, body, host, deny, admitted) VALUES (?1, ?2, ?3, ?4, ?5)");
    SqliteStatement& rows = read.ok() ? read : read_v1;
    const bool committed = rows.ok() && insert.ok() && in_transaction(fresh, [&] {
                             copied = copy_rows(old, rows, insert);
                             return rebuild_waiting_hosts(fresh);
                           });
    if (!committed) copied = 0;
  }
  sqlite3_close(old);
  return copied;
}

}  // namespace flowd::spool_detail
