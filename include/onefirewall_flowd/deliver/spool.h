#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "onefirewall_flowd/deliver/admission.h"
#include "onefirewall_flowd/deliver/deliver_stats.h"

struct sqlite3;

namespace flowd {

// Which record a free request slot takes (DESIGN.md, "Delivery order").
enum class DeliveryOrder {
  kHostsFirst,  // new hosts, then hosts in turn, Allow before Deny, oldest first
  kArrival,     // oldest first: the order before, kept to measure against
};

struct SpoolSettings {
  std::filesystem::path dir;
  uint64_t max_bytes = 1ull << 30;
  std::chrono::milliseconds host_memory{86'400'000};
  uint64_t host_memory_limit = 1'000'000;
  DeliveryOrder order = DeliveryOrder::kHostsFirst;
};

struct SpooledRecord {
  int64_t id = 0;  // grows with admission
  std::string body;
  std::string host;  // host_key() of the external host
  bool deny = false;
  int64_t admitted_ms = 0;
};

// A waiting host's place in the order; the smallest goes first.
// New: (0, deny of its next record, id of its next record).
// Reported: (1, when it last had a turn in Unix ms, 0).
struct HostTurn {
  int64_t reported = 0;
  int64_t a = 0;
  int64_t b = 0;
  bool operator==(const HostTurn&) const = default;
};

// The records out on a request: the spool neither hands them out again nor drops them.
class InFlightSet {
 public:
  void add(const SpooledRecord& record);
  void remove(const SpooledRecord& record);
  [[nodiscard]] bool contains(int64_t id) const { return ids_.contains(id); }
  [[nodiscard]] uint64_t of_host(const std::string& host) const;
  [[nodiscard]] size_t size() const { return ids_.size(); }

 private:
  std::unordered_set<int64_t> ids_;
  std::unordered_map<std::string, uint64_t> per_host_;
};

struct DeadLetter {
  int64_t id = 0;
  long status = 0;
  std::string response;
};

// The on-disk backlog, <dir>/spool.db (SQLite, WAL): every record waiting for
// delivery, the waiting hosts with their turns, the memory of reported hosts,
// and the records the API rejected for good. Nothing per record is held in
// memory. Used by one thread at a time.
class Spool {
 public:
  // Per-record bookkeeping (columns, index entries) counted against max_bytes beside the body.
  static constexpr uint64_t kRowOverhead = 64;
  static constexpr int64_t kDeadLetterKeep = 100'000;
  static constexpr int64_t kSchemaVersion = 2;
  // The smallest spool.max_size; below it (tests of the order) only the records' bytes count.
  static constexpr uint64_t kMinDiskCap = 1 << 20;

  // Opens, creates or migrates the database. A damaged spool.db (quick_check)
  // is moved aside and its readable records carried over to a fresh one.
  // Throws std::runtime_error (start-up only).
  Spool(const SpoolSettings& settings, DeliverStats& stats, int64_t now_ms);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends in one transaction, then drops by the spool-full rule past max_bytes.
  bool append(const std::vector<Admission>& records, int64_t now_ms, const InFlightSet& in_flight);
  // The next record by the order, and its host's turn, skipping those in flight.
  [[nodiscard]] std::optional<std::pair<SpooledRecord, HostTurn>> next(const InFlightSet& in_flight);
  // The host has a turn now: it goes behind every host waiting. Returns the
  // turn's time, or nullopt on a database error.
  std::optional<int64_t> take_turn(const std::string& host, int64_t now_ms);
  // Undoes take_turn(host, taken_ms) after a failed attempt, unless the host had another turn since.
  bool restore_turn(const std::string& host, int64_t taken_ms, const HostTurn& previous);
  // Removes delivered records (remembering their hosts as reported at now_ms) and moves
  // rejected ones to dead_letter, in one transaction.
  bool complete(const std::vector<SpooledRecord>& delivered, const std::vector<DeadLetter>& rejected,
                int64_t now_ms);
  // Drops records admitted before cutoff_ms (counted as stale); returns how many.
  uint64_t drop_admitted_before(int64_t cutoff_ms, const InFlightSet& in_flight);
  // Reported hosts whose last turn is older than host_memory become new again, and
  // the memory forgets them.
  bool forget_before(int64_t now_ms);
  // Gives free pages back to the file system and checkpoints and truncates the WAL.
  bool compact();
  // What the files take: spool.db's pages in use plus the WAL.
  [[nodiscard]] uint64_t disk_bytes();

  [[nodiscard]] uint64_t records() const { return totals_.records; }
  [[nodiscard]] uint64_t bytes() const { return totals_.bytes; }
  [[nodiscard]] uint64_t hosts() const { return totals_.hosts; }
  [[nodiscard]] uint64_t remembered_hosts() const { return totals_.remembered; }
  // When the oldest waiting record was admitted (Unix ms); 0 when none waits.
  [[nodiscard]] int64_t oldest_admitted_ms();
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  struct Statements;
  // What the spool holds, kept in memory; restored when a transaction fails.
  struct Totals {
    uint64_t records = 0;
    uint64_t bytes = 0;
    uint64_t hosts = 0;            // waiting
    uint64_t remembered = 0;       // reported hosts in memory
    int64_t last_admitted_ms = 0;  // admission times never go back, so ids order them
    int64_t last_turn_ms = 0;
  };
  struct Removed {
    std::string host;
    uint64_t bytes = 0;
  };

  std::optional<std::string> open(int64_t now_ms);
  void recover(const std::string& damage, int64_t now_ms);
  void close();
  void limit_wal();
  int64_t pragma_int(const char* sql);
  [[nodiscard]] uint64_t wal_bytes() const;
  uint64_t over_cap();
  bool transaction(const std::function<bool()>& work);
  bool load_totals();
  bool insert(const Admission& record, int64_t now_ms);
  bool count_in(const std::string& host, bool deny, int64_t id, int64_t now_ms);
  std::optional<HostTurn> remembered_turn(const std::string& host, int64_t now_ms);
  std::optional<Removed> remove(int64_t id);
  bool count_out(const std::string& host, uint64_t n);
  bool refresh_new_turn(const std::string& host);
  bool remember(const std::string& host, int64_t now_ms);
  bool cap_memory();
  bool dead_letter(const DeadLetter& letter);
  bool trim_to_cap(const InFlightSet& in_flight);
  std::vector<int64_t> largest_host_to_trim(const InFlightSet& in_flight, uint64_t excess);
  std::vector<int64_t> oldest_to_trim(const InFlightSet& in_flight, uint64_t excess);
  bool drop(const std::vector<int64_t>& ids, DeliverDrop reason);
  std::optional<std::pair<SpooledRecord, HostTurn>> next_by_host(const InFlightSet& in_flight);
  std::optional<std::pair<SpooledRecord, HostTurn>> next_by_arrival(const InFlightSet& in_flight);
  std::optional<SpooledRecord> next_of_host(const std::string& host, const InFlightSet& in_flight);
  std::optional<HostTurn> turn_of(const std::string& host);
  void update_gauges();

  SpoolSettings settings_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Statements> sql_;
  std::filesystem::path file_;
  DeliverStats& stats_;
  Totals totals_;
  uint64_t page_size_ = 4096;
  uint64_t wal_limit_ = 4 << 20;
};

}  // namespace flowd
