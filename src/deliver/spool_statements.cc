#include "spool_statements.h"

namespace flowd {

// Sizes are in bytes: LENGTH() of TEXT counts characters, and a firewall name may be UTF-8.
Spool::Statements::Statements(sqlite3* db)
    : insert(db, "INSERT INTO spool(body, host, deny, admitted) VALUES (?1, ?2, ?3, ?4)"),
      // A new host's turn follows its best record: an Allow beats any Deny.
      host_add(db,
               "UPDATE waiting_hosts SET records = records + 1,"
               "  turn_b = CASE WHEN reported = 0 AND ?2 < turn_a THEN ?3 ELSE turn_b END,"
               "  turn_a = CASE WHEN reported = 0 AND ?2 < turn_a THEN ?2 ELSE turn_a END"
               " WHERE host = ?1"),
      host_insert(
          db,
          "INSERT INTO waiting_hosts(host, records, reported, turn_a, turn_b) VALUES (?1, 1, ?2, ?3, ?4)"),
      host_sub(db, "UPDATE waiting_hosts SET records = records - ?2 WHERE host = ?1 RETURNING records"),
      host_delete(db, "DELETE FROM waiting_hosts WHERE host = ?1"),
      refresh_new(db,
                  "UPDATE waiting_hosts SET turn_a = r.deny, turn_b = r.id"
                  " FROM (SELECT deny, id FROM spool WHERE host = ?1 ORDER BY deny, id LIMIT 1) AS r"
                  " WHERE host = ?1 AND reported = 0"),
      remove(db, "DELETE FROM spool WHERE id = ?1 RETURNING host, LENGTH(CAST(body AS BLOB))"),
      memory_get(db, "SELECT last_delivered FROM reported_hosts WHERE host = ?1"),
      remember(
          db,
          "INSERT INTO reported_hosts(host, last_delivered, deliveries) VALUES (?1, ?2, 1)"
          " ON CONFLICT(host) DO UPDATE SET last_delivered = MAX(last_delivered, excluded.last_delivered),"
          " deliveries = deliveries + 1 RETURNING deliveries"),
      memory_cap(db,
                 "DELETE FROM reported_hosts WHERE host IN"
                 " (SELECT host FROM reported_hosts ORDER BY last_delivered LIMIT ?1)"),
      memory_forget(db, "DELETE FROM reported_hosts WHERE last_delivered < ?1"),
      promote(
          db,
          "UPDATE waiting_hosts SET reported = 0,"
          "  turn_a = (SELECT deny FROM spool WHERE spool.host = waiting_hosts.host ORDER BY deny, id LIMIT "
          "1),"
          "  turn_b = (SELECT id FROM spool WHERE spool.host = waiting_hosts.host ORDER BY deny, id LIMIT 1)"
          " WHERE reported = 1 AND turn_a < ?1"),
      hosts_in_turn(db,
                    "SELECT host, records, reported, turn_a, turn_b FROM waiting_hosts"
                    " ORDER BY reported, turn_a, turn_b"),
      records_of_host(db, "SELECT id, body, deny, admitted FROM spool WHERE host = ?1 ORDER BY deny, id"),
      records_of_action(
          db, "SELECT id, LENGTH(CAST(body AS BLOB)) FROM spool WHERE host = ?1 AND deny = ?2 ORDER BY id"),
      records_by_id(db, "SELECT id, body, host, deny, admitted FROM spool ORDER BY id"),
      oldest_records(db, "SELECT id, LENGTH(CAST(body AS BLOB)), admitted FROM spool ORDER BY id"),
      turn_of(db, "SELECT reported, turn_a, turn_b FROM waiting_hosts WHERE host = ?1"),
      take_turn(db, "UPDATE waiting_hosts SET reported = 1, turn_a = ?2, turn_b = 0 WHERE host = ?1"),
      last_turn(db, "SELECT COALESCE(MAX(turn_a), 0) FROM waiting_hosts WHERE reported = 1"),
      restore_turn(db,
                   "UPDATE waiting_hosts SET reported = ?3, turn_a = ?4, turn_b = ?5"
                   " WHERE host = ?1 AND reported = 1 AND turn_a = ?2 AND turn_b = 0"),
      // Among hosts with as many records, the one whose turn comes last.
      largest_hosts(db,
                    "SELECT host, records FROM waiting_hosts"
                    " ORDER BY records DESC, reported DESC, turn_a DESC, turn_b DESC LIMIT 2"),
      oldest_admitted(db, "SELECT admitted FROM spool ORDER BY id LIMIT 1"),
      dead_letter_copy(
          db, "INSERT INTO dead_letter(status, body, response) SELECT ?1, body, ?2 FROM spool WHERE id = ?3"),
      dead_letter_prune(db, "DELETE FROM dead_letter WHERE id <= (SELECT MAX(id) FROM dead_letter) - ?1") {}

bool Spool::Statements::ok() const {
  for (const SqliteStatement* s :
       {&insert,        &host_add,       &host_insert,     &host_sub,         &host_delete,
        &refresh_new,   &remove,         &memory_get,      &remember,         &memory_cap,
        &memory_forget, &promote,        &hosts_in_turn,   &records_of_host,  &records_of_action,
        &records_by_id, &oldest_records, &turn_of,         &take_turn,        &last_turn,
        &restore_turn,  &largest_hosts,  &oldest_admitted, &dead_letter_copy, &dead_letter_prune}) {
    if (!s->ok()) return false;
  }
  return true;
}

}  // namespace flowd
