#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "onefirewall_flowd/deliver/deliver_stats.h"

struct sqlite3;

namespace flowd {

struct SpooledRecord {
  int64_t id = 0;  // grows with arrival: FIFO order
  std::string body;
};

struct DeadLetter {
  int64_t id = 0;
  long status = 0;
  std::string response;
};

// The on-disk queue: <dir>/spool.db, SQLite in WAL mode. Every record waiting
// for delivery is here, oldest first, until the API accepts it or rejects it
// for good (then it moves to the dead_letter table with the answer).
// Used by one thread at a time.
class Spool {
 public:
  // Per-record bookkeeping counted against max_bytes beside the body itself.
  static constexpr uint64_t kRowOverhead = 32;
  static constexpr int64_t kDeadLetterKeep = 100'000;

  // Opens or creates the database. Throws std::runtime_error (start-up only).
  Spool(const std::filesystem::path& dir, uint64_t max_bytes, DeliverStats& stats);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends in one transaction, then drops the oldest records past max_bytes.
  bool append(const std::vector<std::string>& bodies);
  // Up to `limit` records with an id above `after_id`, oldest first.
  [[nodiscard]] std::vector<SpooledRecord> read_after(int64_t after_id, size_t limit);
  // Removes delivered records and moves rejected ones to dead_letter, in one transaction.
  bool complete(const std::vector<int64_t>& delivered, const std::vector<DeadLetter>& rejected);

  [[nodiscard]] uint64_t records() const { return records_; }
  [[nodiscard]] uint64_t bytes() const { return bytes_; }
  // Records with an id up to this one were dropped for space.
  [[nodiscard]] int64_t dropped_through() const { return dropped_through_; }
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  bool insert_all(const std::vector<std::string>& bodies);
  bool trim_to_cap();
  bool dead_letter(const DeadLetter& letter);
  bool remove(int64_t id);
  void load_totals();
  void update_gauges();

  sqlite3* db_ = nullptr;
  std::filesystem::path file_;
  uint64_t max_bytes_;
  DeliverStats& stats_;
  uint64_t records_ = 0;
  uint64_t bytes_ = 0;
  int64_t dropped_through_ = 0;
};

}  // namespace flowd
