// The spool's size on disk: what counts against spool.max_size, and giving
// space back to the file system.
#include <sqlite3.h>

#include <algorithm>

#include "onefirewall_flowd/deliver/spool.h"
#include "spool_statements.h"

namespace flowd {

uint64_t Spool::wal_bytes() const {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file_.string() + "-wal", ec);
  return ec ? 0 : size;
}

uint64_t Spool::disk_bytes() {
  const int64_t pages = pragma_int("PRAGMA page_count");
  const int64_t free_pages = pragma_int("PRAGMA freelist_count");
  const uint64_t used = pages > free_pages && free_pages >= 0 ? static_cast<uint64_t>(pages - free_pages) : 0;
  return used * page_size_ + wal_bytes();
}

uint64_t Spool::over_cap() {
  uint64_t used = totals_.bytes;
  // Below the smallest spool.max_size the fixed pages of the schema alone would fill it.
  if (settings_.max_bytes >= kMinDiskCap) used = std::max(used, disk_bytes());
  return used > settings_.max_bytes ? used - settings_.max_bytes : 0;
}

bool Spool::compact() {
  bool ok = true;
  bool vacuumed = false;
  if (pragma_int("PRAGMA freelist_count") > 0 && pragma_int("PRAGMA auto_vacuum") == 2) {
    vacuumed = sqlite3_exec(db_, "PRAGMA incremental_vacuum", nullptr, nullptr, nullptr) == SQLITE_OK;
    ok = vacuumed;
  }
  // The checkpoint copies the WAL into spool.db, applies its new, smaller size and empties the WAL.
  if (vacuumed || wal_bytes() > 0) {
    ok = sqlite3_exec(db_, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) == SQLITE_OK && ok;
  }
  stats_.spool_disk_bytes.set(disk_bytes());
  return ok;
}

}  // namespace flowd
