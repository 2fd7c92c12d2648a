// The delivery order over the spool: which record goes next, whose turn it
// was, and which records go first when the spool is full or they are stale.
#include <sqlite3.h>

#include <algorithm>
#include <map>

#include "onefirewall_flowd/deliver/spool.h"
#include "spool_statements.h"

namespace flowd {
namespace {

constexpr size_t kDropBatch = 4096;

// Chooses records of (id, size) rows that are not in flight, until `limit` are
// chosen or they free `excess` bytes.
void choose(StatementScope& rows, const InFlightSet& in_flight, size_t limit, uint64_t excess,
            std::vector<int64_t>& ids, uint64_t& freed) {
  while (ids.size() < limit && freed < excess && rows->step() == SQLITE_ROW) {
    const int64_t id = rows->int64(0);
    if (in_flight.contains(id)) continue;
    ids.push_back(id);
    freed += static_cast<uint64_t>(rows->int64(1)) + Spool::kRowOverhead;
  }
}

}  // namespace

std::optional<std::pair<SpooledRecord, HostTurn>> Spool::next(const InFlightSet& in_flight) {
  if (totals_.records <= in_flight.size()) return std::nullopt;
  return settings_.order == DeliveryOrder::kArrival ? next_by_arrival(in_flight) : next_by_host(in_flight);
}

std::optional<std::pair<SpooledRecord, HostTurn>> Spool::next_by_host(const InFlightSet& in_flight) {
  StatementScope hosts(sql_->hosts_in_turn);
  while (hosts->step() == SQLITE_ROW) {
    const std::string host = hosts->blob(0);
    if (in_flight.of_host(host) >= static_cast<uint64_t>(hosts->int64(1))) continue;
    if (auto record = next_of_host(host, in_flight)) {
      return std::pair{std::move(*record), HostTurn{hosts->int64(2), hosts->int64(3), hosts->int64(4)}};
    }
  }
  return std::nullopt;
}

// Allow before Deny, then oldest first.
std::optional<SpooledRecord> Spool::next_of_host(const std::string& host, const InFlightSet& in_flight) {
  StatementScope records(sql_->records_of_host);
  records->bind_blob(1, host);
  while (records->step() == SQLITE_ROW) {
    const int64_t id = records->int64(0);
    if (in_flight.contains(id)) continue;
    return SpooledRecord{id, std::string(records->text(1)), host, records->int64(2) != 0, records->int64(3)};
  }
  return std::nullopt;
}

std::optional<std::pair<SpooledRecord, HostTurn>> Spool::next_by_arrival(const InFlightSet& in_flight) {
  std::optional<SpooledRecord> found;
  {
    StatementScope records(sql_->records_by_id);
    while (!found && records->step() == SQLITE_ROW) {
      const int64_t id = records->int64(0);
      if (in_flight.contains(id)) continue;
      found = SpooledRecord{id, std::string(records->text(1)), records->blob(2), records->int64(3) != 0,
                            records->int64(4)};
    }
  }
  if (!found) return std::nullopt;
  const auto turn = turn_of(found->host);
  if (!turn) return std::nullopt;
  return std::pair{std::move(*found), *turn};
}

std::optional<HostTurn> Spool::turn_of(const std::string& host) {
  StatementScope turn(sql_->turn_of);
  turn->bind_blob(1, host);
  if (turn->step() != SQLITE_ROW) return std::nullopt;
  return HostTurn{turn->int64(0), turn->int64(1), turn->int64(2)};
}

std::optional<int64_t> Spool::take_turn(const std::string& host, int64_t now_ms) {
  // Strictly increasing, so hosts served within one millisecond keep their order.
  const int64_t turn = std::max(now_ms, totals_.last_turn_ms + 1);
  StatementScope take(sql_->take_turn);
  take->bind_blob(1, host);
  take->bind(2, turn);
  if (!take->run()) return std::nullopt;
  totals_.last_turn_ms = turn;
  return turn;
}

bool Spool::restore_turn(const std::string& host, int64_t taken_ms, const HostTurn& previous) {
  {
    StatementScope restore(sql_->restore_turn);
    restore->bind_blob(1, host);
    restore->bind(2, taken_ms);
    restore->bind(3, previous.reported);
    restore->bind(4, previous.a);
    restore->bind(5, previous.b);
    if (!restore->run()) return false;
  }
  // A new host's next record may have changed while this one was out.
  return previous.reported != 0 || refresh_new_turn(host);
}

bool Spool::drop(const std::vector<int64_t>& ids, DeliverDrop reason) {
  std::map<std::string, uint64_t> per_host;
  uint64_t dropped = 0;
  for (const int64_t id : ids) {
    if (auto removed = remove(id)) {
      ++per_host[removed->host];
      ++dropped;
    }
  }
  for (const auto& [host, n] : per_host) {
    if (!count_out(host, n)) return false;
  }
  stats_.dropped.add(reason, dropped);
  return true;
}

bool Spool::trim_to_cap(const InFlightSet& in_flight) {
  // Measured once: dropped rows free their pages only as the b-tree merges them.
  uint64_t excess = over_cap();
  while (excess > 0) {
    auto ids = settings_.order == DeliveryOrder::kArrival ? oldest_to_trim(in_flight, excess)
                                                          : largest_host_to_trim(in_flight, excess);
    // Every record of the host with the most is in flight: the oldest others go.
    if (ids.empty()) ids = oldest_to_trim(in_flight, excess);
    if (ids.empty()) return true;  // all in flight
    const uint64_t before = totals_.bytes;
    if (!drop(ids, DeliverDrop::kSpoolFull)) return false;
    excess -= std::min(excess, before - totals_.bytes);
  }
  return true;
}

// What would go last: the records of the host with the most waiting (of those,
// the one whose turn comes last), its oldest Deny first, then its oldest Allow;
// only until it is level with the next.
std::vector<int64_t> Spool::largest_host_to_trim(const InFlightSet& in_flight, uint64_t excess) {
  std::string host;
  uint64_t level = 0;
  {
    StatementScope largest(sql_->largest_hosts);
    if (largest->step() != SQLITE_ROW) return {};
    host = largest->blob(0);
    const auto most = static_cast<uint64_t>(largest->int64(1));
    const uint64_t second = largest->step() == SQLITE_ROW ? static_cast<uint64_t>(largest->int64(1)) : 0;
    level = std::clamp<uint64_t>(most - std::min(most, second), 1, kDropBatch);
  }
  std::vector<int64_t> ids;
  uint64_t freed = 0;
  for (const int64_t deny : {1, 0}) {
    StatementScope records(sql_->records_of_action);
    records->bind_blob(1, host);
    records->bind(2, deny);
    choose(records, in_flight, level, excess, ids, freed);
  }
  return ids;
}

std::vector<int64_t> Spool::oldest_to_trim(const InFlightSet& in_flight, uint64_t excess) {
  std::vector<int64_t> ids;
  uint64_t freed = 0;
  StatementScope records(sql_->oldest_records);
  choose(records, in_flight, kDropBatch, excess, ids, freed);
  return ids;
}

uint64_t Spool::drop_admitted_before(int64_t cutoff_ms, const InFlightSet& in_flight) {
  uint64_t total = 0;
  for (;;) {
    std::vector<int64_t> ids;
    {
      // Admission times grow with ids, so the stale records are the first ones.
      StatementScope records(sql_->oldest_records);
      while (ids.size() < kDropBatch && records->step() == SQLITE_ROW && records->int64(2) < cutoff_ms) {
        const int64_t id = records->int64(0);
        if (!in_flight.contains(id)) ids.push_back(id);
      }
    }
    if (ids.empty() || !transaction([&] { return drop(ids, DeliverDrop::kStale); })) return total;
    total += ids.size();
    if (ids.size() < kDropBatch) return total;
  }
}

bool Spool::forget_before(int64_t now_ms) {
  const int64_t cutoff = now_ms - settings_.host_memory.count();
  return transaction([&] {
    StatementScope promote(sql_->promote);
    promote->bind(1, cutoff);
    if (!promote->run()) return false;
    StatementScope forget(sql_->memory_forget);
    forget->bind(1, cutoff);
    if (!forget->run()) return false;
    totals_.remembered -= std::min<uint64_t>(totals_.remembered, static_cast<uint64_t>(sqlite3_changes(db_)));
    return true;
  });
}

}  // namespace flowd
