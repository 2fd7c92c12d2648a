#include "spool_schema.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string_view>

#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/deliver/admission.h"
#include "sqlite_statement.h"

namespace flowd::spool_detail {
namespace {

constexpr int64_t kVersion = 2;

constexpr const char* kPragmas =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA cache_size=-4096;";  // 4 MiB of pages, however long the backlog

// Version 1 (releases before "Delivery order"): spool(id, body) and dead_letter.
constexpr const char* kDeadLetterTable =
    "CREATE TABLE IF NOT EXISTS dead_letter("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  status INTEGER NOT NULL,"
    "  body TEXT NOT NULL,"
    "  response TEXT NOT NULL);";

constexpr const char* kSpoolTable =
    "CREATE TABLE spool("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"  // never reused, so ids keep admission order
    "  body TEXT NOT NULL,"
    "  host BLOB NOT NULL,"          // the external host: 4 bytes IPv4, 16 IPv6
    "  deny INTEGER NOT NULL,"       // 0 Allow, 1 Deny
    "  admitted INTEGER NOT NULL);"  // Unix ms, never decreasing with id
    ;

constexpr const char* kOrderObjects =
    "CREATE INDEX IF NOT EXISTS spool_by_host ON spool(host, deny, id);"
    "CREATE TABLE IF NOT EXISTS waiting_hosts("
    "  host BLOB PRIMARY KEY,"
    "  records INTEGER NOT NULL,"
    "  reported INTEGER NOT NULL,"  // see HostTurn
    "  turn_a INTEGER NOT NULL,"
    "  turn_b INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS waiting_by_turn ON waiting_hosts(reported, turn_a, turn_b);"
    "CREATE INDEX IF NOT EXISTS waiting_by_size ON waiting_hosts(records, reported, turn_a, turn_b);"
    "CREATE TABLE IF NOT EXISTS reported_hosts("
    "  host BLOB PRIMARY KEY,"
    "  last_delivered INTEGER NOT NULL,"
    "  deliveries INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS reported_by_time ON reported_hosts(last_delivered);";

// A version-1 record's body is the API JSON; its external host and action come from it.
constexpr const char* kMigrateRecords =
    "ALTER TABLE spool ADD COLUMN host BLOB NOT NULL DEFAULT x'';"
    "ALTER TABLE spool ADD COLUMN deny INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE spool ADD COLUMN admitted INTEGER NOT NULL DEFAULT 0;"
    "UPDATE spool SET host = flowd_host_key(CASE WHEN NOT json_valid(body) THEN NULL"
    "    WHEN json_extract(body, '$.direction') = 'outbound' THEN json_extract(body, '$.dst_ip')"
    "    ELSE json_extract(body, '$.src_ip') END),"
    "  deny = CASE WHEN json_valid(body) THEN COALESCE(json_extract(body, '$.action') = 'Deny', 0) ELSE 0 "
    "END,"
    "  admitted = flowd_now();";

// Every waiting host starts new: a version-1 spool has no memory of reported hosts.
constexpr const char* kFillWaitingHosts =
    "INSERT INTO waiting_hosts(host, records, reported, turn_a, turn_b)"
    "  SELECT host, COUNT(*), 0, MIN(deny), 0 FROM spool GROUP BY host;"
    "UPDATE waiting_hosts SET turn_b = (SELECT id FROM spool WHERE spool.host = waiting_hosts.host"
    "  AND spool.deny = waiting_hosts.turn_a ORDER BY id LIMIT 1);";

void fail(sqlite3* db, const std::string& file, std::string_view what) {
  throw std::runtime_error("cannot " + std::string(what) + " the spool " + file + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const std::string& file, const std::string& sql, std::string_view what) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, file, what);
}

int64_t query_int(sqlite3* db, const char* sql) {
  SqliteStatement statement(db, sql);
  return statement.step() == SQLITE_ROW ? statement.int64(0) : 0;
}

// flowd_host_key(text): the host key of an address, or x'' when it is not one.
void host_key_function(sqlite3_context* context, int, sqlite3_value** args) {
  const unsigned char* text = sqlite3_value_text(args[0]);
  const auto address = text == nullptr
                           ? std::nullopt
                           : IpAddress::parse(std::string(text, text + sqlite3_value_bytes(args[0])));
  const std::string key = address ? host_key(*address) : std::string{};
  sqlite3_result_blob(context, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

void now_function(sqlite3_context* context, int, sqlite3_value**) {
  sqlite3_result_int64(context, *static_cast<const int64_t*>(sqlite3_user_data(context)));
}

void migrate_from_v1(sqlite3* db, const std::string& file, int64_t now_ms) {
  const int64_t records = query_int(db, "SELECT COUNT(*) FROM spool");
  spdlog::info("spool {}: upgrading from schema 1 to {}, with its {} records", file, kVersion, records);
  int64_t now = now_ms;
  sqlite3_create_function(db, "flowd_host_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                          host_key_function, nullptr, nullptr);
  sqlite3_create_function(db, "flowd_now", 0, SQLITE_UTF8, &now, now_function, nullptr, nullptr);
  const std::string sql = std::string("BEGIN IMMEDIATE;") + kMigrateRecords + kOrderObjects +
                          kFillWaitingHosts + "PRAGMA user_version=" + std::to_string(kVersion) + ";COMMIT;";
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(db);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw std::runtime_error("cannot upgrade the spool " + file + " from schema 1: " + why);
  }
  sqlite3_create_function(db, "flowd_host_key", 1, SQLITE_UTF8, nullptr, nullptr, nullptr, nullptr);
  sqlite3_create_function(db, "flowd_now", 0, SQLITE_UTF8, nullptr, nullptr, nullptr, nullptr);
}

}  // namespace

bool rebuild_waiting_hosts(sqlite3* db) {
  return sqlite3_exec(db, kFillWaitingHosts, nullptr, nullptr, nullptr) == SQLITE_OK;
}

void prepare_schema(sqlite3* db, const std::string& file, int64_t now_ms) {
  // Only a database without tables can take it: free pages of a new spool go back to the file system.
  if (query_int(db, "SELECT COUNT(*) FROM sqlite_master") == 0) {
    exec(db, file, "PRAGMA auto_vacuum=INCREMENTAL", "set up");
  }
  exec(db, file, kPragmas, "set up");
  const int64_t version = query_int(db, "PRAGMA user_version");
  if (version > kVersion) {
    throw std::runtime_error("the spool " + file + " has schema " + std::to_string(version) +
                             ", written by a newer release; this one reads schema " +
                             std::to_string(kVersion) + " and earlier");
  }
  const bool has_spool = query_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'spool'") > 0;
  exec(db, file, kDeadLetterTable, "set up");
  if (version < kVersion && has_spool) return migrate_from_v1(db, file, now_ms);
  if (!has_spool) exec(db, file, kSpoolTable, "set up");
  exec(db, file, std::string(kOrderObjects) + "PRAGMA user_version=" + std::to_string(kVersion) + ";",
       "set up");
}

}  // namespace flowd::spool_detail
