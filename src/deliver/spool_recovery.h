#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace flowd::spool_detail {

// Why an open spool cannot be used as it is (quick_check's first finding, or
// SQLite's error), or nullopt when it passes. Throws std::runtime_error when
// the check itself cannot run for a reason other than damage (e.g. locked).
std::optional<std::string> integrity_problem(sqlite3* db, const std::string& file);

// True for the SQLite errors that mean the file's content is damaged.
bool is_damage(int sqlite_error);

// Moves spool.db and its -wal and -shm aside, to <file>.damaged-<UTC time>;
// returns the new name. Throws std::runtime_error when it cannot.
std::filesystem::path move_aside(const std::filesystem::path& file, int64_t now_ms);

// Copies the records that can still be read from the damaged spool into
// `fresh` (an empty spool of the current schema), with their ids, and counts
// their hosts as new. Returns how many were copied.
uint64_t salvage(const std::filesystem::path& damaged, sqlite3* fresh, int64_t now_ms);

}  // namespace flowd::spool_detail
