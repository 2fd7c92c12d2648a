#pragma once

#include "onefirewall_flowd/deliver/spool.h"
#include "sqlite_statement.h"

namespace flowd {

// The spool's statements, prepared once. Hosts are blobs (host_key()).
struct Spool::Statements {
  explicit Statements(sqlite3* db);
  [[nodiscard]] bool ok() const;

  SqliteStatement insert;
  SqliteStatement host_add;
  SqliteStatement host_insert;
  SqliteStatement host_sub;
  SqliteStatement host_delete;
  SqliteStatement refresh_new;
  SqliteStatement remove;
  SqliteStatement memory_get;
  SqliteStatement remember;
  SqliteStatement memory_cap;
  SqliteStatement memory_forget;
  SqliteStatement promote;
  SqliteStatement hosts_in_turn;
  SqliteStatement records_of_host;
  SqliteStatement records_of_action;
  SqliteStatement records_by_id;
  SqliteStatement oldest_records;
  SqliteStatement turn_of;
  SqliteStatement take_turn;
  SqliteStatement last_turn;
  SqliteStatement restore_turn;
  SqliteStatement largest_hosts;
  SqliteStatement oldest_admitted;
  SqliteStatement dead_letter_copy;
  SqliteStatement dead_letter_prune;
};

}  // namespace flowd
