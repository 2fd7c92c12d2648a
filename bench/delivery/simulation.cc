#include "simulation.h"

#include <stdlib.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <stdexcept>

namespace flowd::delivery_sim {
namespace {

std::atomic<bool> interrupt_requested{false};

}  // namespace

void request_interrupt() {
  interrupt_requested.store(true, std::memory_order_relaxed);
}

void throw_if_interrupted() {
  if (interrupt_requested.load(std::memory_order_relaxed)) throw std::runtime_error("interrupted");
}

std::filesystem::path spool_parent(const std::string& chosen, bool memory_ok, uint64_t need) {
  if (!chosen.empty()) return chosen;
  const char* shm = "/dev/shm";
  struct statvfs fs {};
  if (memory_ok && access(shm, W_OK) == 0 && statvfs(shm, &fs) == 0 &&
      static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize >= need) {
    return shm;
  }
  return std::filesystem::temp_directory_path();
}

TempDir::TempDir(const std::filesystem::path& parent) {
  std::string pattern = (parent / "flowd-delivery-sim.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a directory in " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  if (keep_) {
    std::cout << "   kept " << path_.string() << "\n";
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

uint64_t disk_bytes(const std::filesystem::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

namespace {

using Wall = std::chrono::steady_clock;

// Adds the real time since `began` to `total`.
void add_since(Wall::time_point began, double& total) {
  total += std::chrono::duration<double>(Wall::now() - began).count();
}

SpoolSettings spool_settings(const SimSettings& s, const std::filesystem::path& dir) {
  SpoolSettings spool;
  spool.dir = dir;
  spool.max_bytes = s.spool_size;
  spool.host_memory = s.host_memory;
  spool.order = s.order;
  return spool;
}

}  // namespace

Simulation::Simulation(const SimSettings& settings, Traffic& traffic, int64_t start_ms)
    : settings_(settings),
      traffic_(traffic),
      dir_(settings.spool_parent),
      scheduler_(spool_settings(settings, dir_.path()), settings.max_age, stats_, start_ms),
      limiter_(settings.budget, settings.period),
      margin_(RateLimiter::arrival_margin(settings.period)),
      start_ms_(start_ms),
      now_ms_(start_ms),
      last_persist_ms_(start_ms - kPersistMs),
      next_persist_ms_(start_ms),
      next_maintain_ms_(start_ms) {}

void Simulation::run_until(int64_t end_ms, const std::function<bool()>& done) {
  while (now_ms_ < end_ms) {
    throw_if_interrupted();
    step();
    if (done && done()) return;
    now_ms_ = next_event(end_ms);
  }
}

// The daemon's loop at one instant: persist, maintain, outcomes and commit, new requests.
void Simulation::step() {
  if (now_ms_ >= next_persist_ms_) {
    persist();
    next_persist_ms_ += kPersistMs;
  }
  if (now_ms_ >= next_maintain_ms_) {
    const auto began = Wall::now();
    scheduler_.maintain(now_ms_);
    add_since(began, ledger_.maintain_s);
    next_maintain_ms_ += kMaintainMs;
  }
  complete_due();
  start_requests();
  account();
}

void Simulation::persist() {
  batch_.clear();
  traffic_.arrivals(last_persist_ms_, now_ms_, batch_);
  last_persist_ms_ = now_ms_;
  if (batch_.empty()) return;
  const auto began = Wall::now();
  const bool ok = scheduler_.admit(batch_, now_ms_);
  add_since(began, ledger_.admit_s);
  if (ok) return;
  ++ledger_.failed_admits;
  stats_.dropped.add(DeliverDrop::kSpoolError, batch_.size());
}

void Simulation::complete_due() {
  bool any = false;
  while (!flights_.empty() && flights_.front().done_ms <= now_ms_) {
    const Flight& flight = flights_.front();
    // As the daemon does: the request reached the server by its send time plus the margin.
    limiter_.settle(at(flight.started_ms) + margin_);
    stats_.responses.add(200);
    scheduler_.delivered(flight.dispatch, now_ms_);
    traffic_.accepted(flight.dispatch, now_ms_);
    flights_.pop_front();
    any = true;
  }
  if (!any) return;
  const auto began = Wall::now();
  if (!scheduler_.commit(now_ms_)) ++ledger_.failed_commits;
  add_since(began, ledger_.commit_s);
}

// A record is taken only once the limiter has a slot, so a taken record always goes out.
void Simulation::start_requests() {
  while (scheduler_.ready() > 0 && flights_.size() < settings_.concurrency &&
         limiter_.next_start(at(now_ms_)) <= at(now_ms_)) {
    const auto began = Wall::now();
    auto dispatch = scheduler_.take(now_ms_);
    add_since(began, ledger_.take_s);
    if (!dispatch) {
      ++ledger_.empty_takes;
      return;
    }
    if (!limiter_.try_start(at(now_ms_))) {
      scheduler_.retry(*dispatch);
      return;
    }
    stats_.requests.add();
    ledger_.starts.push_back(now_ms_);
    ++window(now_ms_).requests;
    flights_.push_back({std::move(*dispatch), now_ms_, now_ms_ + settings_.latency_ms});
  }
}

Ledger::Window& Simulation::window(int64_t ms) {
  const auto index = static_cast<size_t>((ms - start_ms_) / settings_.period.count());
  if (ledger_.windows.size() <= index) ledger_.windows.resize(index + 1);
  return ledger_.windows[index];
}

void Simulation::account() {
  if (scheduler_.ready() == 0) window(now_ms_).backlogged = false;
  const Spool& spool = scheduler_.spool();
  ledger_.peak_records = std::max(ledger_.peak_records, spool.records());
  ledger_.peak_bytes = std::max(ledger_.peak_bytes, spool.bytes());
}

int64_t Simulation::next_event(int64_t end_ms) {
  int64_t next = std::min({end_ms, next_persist_ms_, next_maintain_ms_});
  if (!flights_.empty()) next = std::min(next, flights_.front().done_ms);
  if (scheduler_.ready() > 0 && flights_.size() < settings_.concurrency) {
    const auto slot = limiter_.next_start(at(now_ms_));
    if (slot != Clock::time_point::max()) {
      next = std::min(next, std::chrono::ceil<std::chrono::milliseconds>(slot.time_since_epoch()).count());
    }
  }
  return std::max(next, now_ms_ + 1);
}

}  // namespace flowd::delivery_sim
