#include "onefirewall_flowd/deliver/spool.h"

#include <sqlite3.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "spool_recovery.h"
#include "spool_schema.h"
#include "spool_statements.h"

namespace flowd {

using spool_detail::in_transaction;

void InFlightSet::add(const SpooledRecord& record) {
  if (ids_.insert(record.id).second) ++per_host_[record.host];
}

void InFlightSet::remove(const SpooledRecord& record) {
  if (ids_.erase(record.id) == 0) return;
  const auto it = per_host_.find(record.host);
  if (it != per_host_.end() && --it->second == 0) per_host_.erase(it);
}

uint64_t InFlightSet::of_host(const std::string& host) const {
  const auto it = per_host_.find(host);
  return it == per_host_.end() ? 0 : it->second;
}

Spool::Spool(const SpoolSettings& settings, DeliverStats& stats, int64_t now_ms)
    : settings_(settings), file_(settings.dir / "spool.db"), stats_(stats) {
  std::error_code ec;
  std::filesystem::create_directories(settings.dir, ec);
  if (auto damage = open(now_ms)) recover(*damage, now_ms);
  update_gauges();
}

Spool::~Spool() {
  close();
}

void Spool::close() {
  sql_.reset();
  sqlite3_close(db_);
  db_ = nullptr;
}

std::optional<std::string> Spool::open(int64_t now_ms) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(file_, ec) && std::filesystem::file_size(file_, ec) == 0 && !ec) {
    return "the file is empty (0 bytes)";
  }
  if (sqlite3_open(file_.c_str(), &db_) != SQLITE_OK) {
    const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    close();
    throw std::runtime_error("cannot open the spool " + file_.string() + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    if (auto problem = spool_detail::integrity_problem(db_, file_.string())) {
      close();
      return problem;
    }
    spool_detail::prepare_schema(db_, file_.string(), now_ms);
    sql_ = std::make_unique<Statements>(db_);
    if (!sql_->ok())
      throw std::runtime_error("cannot prepare the spool " + file_.string() + ": " + sqlite3_errmsg(db_));
    limit_wal();
    if (!load_totals())
      throw std::runtime_error("cannot count the records of the spool " + file_.string() + ": " +
                               sqlite3_errmsg(db_));
  } catch (const std::runtime_error& e) {
    const bool damaged = spool_detail::is_damage(sqlite3_extended_errcode(db_));
    close();
    if (damaged) return e.what();
    throw;
  }
  return std::nullopt;
}

// A damaged spool is kept aside for a person to look at; delivery goes on with what can be read.
void Spool::recover(const std::string& damage, int64_t now_ms) {
  const auto aside = spool_detail::move_aside(file_, now_ms);
  if (auto again = open(now_ms)) {
    throw std::runtime_error("cannot create a fresh spool " + file_.string() + ": " + *again);
  }
  const uint64_t salvaged = spool_detail::salvage(aside, db_, now_ms);
  if (!load_totals())
    throw std::runtime_error("cannot count the records of the spool " + file_.string() + ": " +
                             sqlite3_errmsg(db_));
  stats_.spool_damaged.add();
  stats_.records_salvaged.add(salvaged);
  spdlog::error(
      "the spool {} is damaged ({}): moved it aside to {} and started a fresh spool with the {} records "
      "that could still be read; the others, the dead letters and the memory of reported hosts stay in "
      "the damaged file",
      file_.string(), damage, aside.string(), salvaged);
}

// The WAL is checkpointed and cut back to a share of spool.max_size, so it cannot fill a small disk.
void Spool::limit_wal() {
  wal_limit_ = std::clamp<uint64_t>(settings_.max_bytes / 16, 64 << 10, 4 << 20);
  const int64_t page_size = pragma_int("PRAGMA page_size");
  page_size_ = page_size > 0 ? static_cast<uint64_t>(page_size) : 4096;
  const std::string sql = "PRAGMA journal_size_limit=" + std::to_string(wal_limit_) +
                          ";PRAGMA wal_autocheckpoint=" + std::to_string(wal_limit_ / page_size_) + ";";
  sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
}

int64_t Spool::pragma_int(const char* sql) {
  SqliteStatement pragma(db_, sql);
  return pragma.step() == SQLITE_ROW ? pragma.int64(0) : -1;
}

bool Spool::load_totals() {
  totals_ = {};
  SqliteStatement totals(db_, "SELECT COUNT(*), COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0) FROM spool");
  if (totals.step() != SQLITE_ROW) return false;
  totals_.records = static_cast<uint64_t>(totals.int64(0));
  totals_.bytes = static_cast<uint64_t>(totals.int64(1)) + totals_.records * kRowOverhead;
  SqliteStatement last(db_, "SELECT admitted FROM spool ORDER BY id DESC LIMIT 1");
  int rc = last.step();
  if (rc == SQLITE_ROW) totals_.last_admitted_ms = last.int64(0);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return false;
  {
    StatementScope turn(sql_->last_turn);
    if (turn->step() != SQLITE_ROW) return false;
    totals_.last_turn_ms = turn->int64(0);
  }
  SqliteStatement hosts(db_, "SELECT COUNT(*) FROM waiting_hosts");
  if (hosts.step() != SQLITE_ROW) return false;
  totals_.hosts = static_cast<uint64_t>(hosts.int64(0));
  SqliteStatement remembered(db_, "SELECT COUNT(*) FROM reported_hosts");
  if (remembered.step() != SQLITE_ROW) return false;
  totals_.remembered = static_cast<uint64_t>(remembered.int64(0));
  return true;
}

void Spool::update_gauges() {
  stats_.spool_bytes.set(totals_.bytes);
  stats_.waiting_hosts.set(totals_.hosts);
  stats_.remembered_hosts.set(totals_.remembered);
}

// Runs `work` in a transaction; the in-memory totals follow only a commit.
bool Spool::transaction(const std::function<bool()>& work) {
  const Totals before = totals_;
  const bool ok = in_transaction(db_, work);
  if (!ok) totals_ = before;
  update_gauges();
  return ok;
}

bool Spool::append(const std::vector<Admission>& records, int64_t now_ms, const InFlightSet& in_flight) {
  if (records.empty()) return true;
  return transaction([&] {
    for (const Admission& record : records) {
      if (!insert(record, now_ms)) return false;
    }
    return trim_to_cap(in_flight);
  });
}

bool Spool::insert(const Admission& record, int64_t now_ms) {
  const std::string host = host_key(record.host);
  const bool deny = record.action == Action::kDeny;
  totals_.last_admitted_ms = std::max(totals_.last_admitted_ms, record.admitted_ms);
  StatementScope insert(sql_->insert);
  insert->bind(1, record.body);
  insert->bind_blob(2, host);
  insert->bind(3, int64_t{deny});
  insert->bind(4, totals_.last_admitted_ms);
  if (!insert->run()) return false;
  totals_.bytes += record.body.size() + kRowOverhead;
  ++totals_.records;
  return count_in(host, deny, sqlite3_last_insert_rowid(db_), now_ms);
}

bool Spool::count_in(const std::string& host, bool deny, int64_t id, int64_t now_ms) {
  {
    StatementScope add(sql_->host_add);
    add->bind_blob(1, host);
    add->bind(2, int64_t{deny});
    add->bind(3, id);
    if (!add->run()) return false;
    if (sqlite3_changes(db_) > 0) return true;
  }
  const HostTurn turn = remembered_turn(host, now_ms).value_or(HostTurn{0, deny, id});
  StatementScope insert(sql_->host_insert);
  insert->bind_blob(1, host);
  insert->bind(2, turn.reported);
  insert->bind(3, turn.a);
  insert->bind(4, turn.b);
  if (!insert->run()) return false;
  ++totals_.hosts;
  return true;
}

// A host delivered within host_memory waits as reported, from its last delivery.
std::optional<HostTurn> Spool::remembered_turn(const std::string& host, int64_t now_ms) {
  StatementScope get(sql_->memory_get);
  get->bind_blob(1, host);
  if (get->step() != SQLITE_ROW) return std::nullopt;
  const int64_t last = get->int64(0);
  if (last < now_ms - settings_.host_memory.count()) return std::nullopt;
  return HostTurn{1, last, 0};
}

std::optional<Spool::Removed> Spool::remove(int64_t id) {
  StatementScope drop(sql_->remove);
  drop->bind(1, id);
  if (drop->step() != SQLITE_ROW) return std::nullopt;
  Removed removed{drop->blob(0), static_cast<uint64_t>(drop->int64(1)) + kRowOverhead};
  totals_.bytes -= std::min(totals_.bytes, removed.bytes);
  totals_.records -= std::min<uint64_t>(totals_.records, 1);
  return removed;
}

bool Spool::count_out(const std::string& host, uint64_t n) {
  int64_t left = 0;
  {
    StatementScope sub(sql_->host_sub);
    sub->bind_blob(1, host);
    sub->bind(2, static_cast<int64_t>(n));
    if (sub->step() != SQLITE_ROW) return true;  // not waiting: nothing to count
    left = sub->int64(0);
  }
  if (left > 0) return refresh_new_turn(host);
  StatementScope erase(sql_->host_delete);
  erase->bind_blob(1, host);
  if (!erase->run()) return false;
  totals_.hosts -= std::min<uint64_t>(totals_.hosts, 1);
  return true;
}

bool Spool::refresh_new_turn(const std::string& host) {
  StatementScope refresh(sql_->refresh_new);
  refresh->bind_blob(1, host);
  return refresh->run();
}

bool Spool::remember(const std::string& host, int64_t now_ms) {
  StatementScope remember(sql_->remember);
  remember->bind_blob(1, host);
  remember->bind(2, now_ms);
  if (remember->step() != SQLITE_ROW) return false;
  if (remember->int64(0) == 1) ++totals_.remembered;
  return true;
}

bool Spool::cap_memory() {
  if (totals_.remembered <= settings_.host_memory_limit) return true;
  StatementScope cap(sql_->memory_cap);
  cap->bind(1, static_cast<int64_t>(totals_.remembered - settings_.host_memory_limit));
  if (!cap->run()) return false;
  totals_.remembered -= std::min(totals_.remembered, static_cast<uint64_t>(sqlite3_changes(db_)));
  return true;
}

bool Spool::dead_letter(const DeadLetter& letter) {
  {
    StatementScope copy(sql_->dead_letter_copy);
    copy->bind(1, static_cast<int64_t>(letter.status));
    copy->bind(2, letter.response);
    copy->bind(3, letter.id);
    if (!copy->run()) return false;
  }
  {
    StatementScope prune(sql_->dead_letter_prune);
    prune->bind(1, kDeadLetterKeep);
    if (!prune->run()) return false;
  }
  const auto removed = remove(letter.id);
  return !removed || count_out(removed->host, 1);
}

bool Spool::complete(const std::vector<SpooledRecord>& delivered, const std::vector<DeadLetter>& rejected,
                     int64_t now_ms) {
  if (delivered.empty() && rejected.empty()) return true;
  return transaction([&] {
    for (const SpooledRecord& record : delivered) {
      const auto removed = remove(record.id);
      if (removed && !count_out(removed->host, 1)) return false;
      if (!remember(record.host, now_ms)) return false;
    }
    for (const DeadLetter& letter : rejected) {
      if (!dead_letter(letter)) return false;
    }
    return cap_memory();
  });
}

int64_t Spool::oldest_admitted_ms() {
  StatementScope oldest(sql_->oldest_admitted);
  return oldest->step() == SQLITE_ROW ? oldest->int64(0) : 0;
}

}  // namespace flowd
