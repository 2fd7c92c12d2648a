#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace flowd::spool_detail {

// Brings the database to the current schema: creates it, or migrates a spool
// of an earlier release in place, keeping its records. Throws
// std::runtime_error with `file` in the message.
void prepare_schema(sqlite3* db, const std::string& file, int64_t now_ms);

// Fills waiting_hosts from the records, every host new; false on a database error.
bool rebuild_waiting_hosts(sqlite3* db);

// Runs `work` inside a transaction, committing only when it succeeds.
template <typename Work>
bool in_transaction(sqlite3* db, Work&& work) {
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
  if (!work()) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) return true;
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  return false;
}

}  // namespace flowd::spool_detail
