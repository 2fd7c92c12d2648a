#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

struct sqlite3;

namespace flowd {

class SqliteStatement;

// The send times of the API budget's last period, in a table of their own in
// the spool database (request_budget), so that a restart, even after a
// kill -9, starts with the budget already spent. A request is written when it
// starts and again when it reaches the server; what is noted waits for flush().
// Times are Unix ms.
class BudgetStore {
 public:
  // `longest_trip`: the latest a request can reach the server after its start
  // (api.timeout plus the limiter's margin). Throws std::runtime_error naming
  // the file when it cannot be opened (start-up only).
  BudgetStore(const std::filesystem::path& file, std::chrono::milliseconds period,
              std::chrono::milliseconds longest_trip);
  ~BudgetStore();
  BudgetStore(const BudgetStore&) = delete;
  BudgetStore& operator=(const BudgetStore&) = delete;

  // The arrivals within the period before `now_ms`, oldest first. A request
  // still in flight when the last run ended arrived, if at all, by its start
  // plus the longest trip; it is kept as arrived then.
  [[nodiscard]] std::vector<int64_t> load(int64_t now_ms);
  void started(uint64_t tag, int64_t start_ms);
  void arrived(uint64_t tag, int64_t arrival_ms);
  // Writes what was noted and forgets what left the period; false on an SQLite
  // error (what was noted is kept for the next flush, up to a bound).
  bool flush(int64_t now_ms);
  [[nodiscard]] bool dirty() const { return !noted_.empty(); }

 private:
  struct Note {
    uint64_t tag;
    int64_t ms;
    bool arrival;
  };
  bool write(int64_t now_ms);
  bool exec(const char* sql);

  std::filesystem::path file_;
  int64_t period_ms_;
  int64_t longest_trip_ms_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<SqliteStatement> insert_;
  std::unique_ptr<SqliteStatement> update_;
  std::unique_ptr<SqliteStatement> prune_;
  std::vector<Note> noted_;
};

}  // namespace flowd
