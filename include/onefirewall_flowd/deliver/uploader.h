#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/deliver/deliver_stats.h"
#include "onefirewall_flowd/deliver/http_client.h"
#include "onefirewall_flowd/deliver/record_queue.h"
#include "onefirewall_flowd/deliver/spool.h"

namespace flowd {

struct UploaderSettings {
  HttpSettings http;
  uint32_t rate_limit_requests = 150;
  std::chrono::milliseconds rate_limit_period{10'000};
  std::filesystem::path spool_dir;
  uint64_t spool_max_size = 1ull << 30;
  std::chrono::milliseconds host_memory{86'400'000};
  uint64_t host_memory_limit = 1'000'000;
  std::chrono::milliseconds max_age{86'400'000};  // 0: records never go stale
  DeliveryOrder order = DeliveryOrder::kHostsFirst;
  size_t queue_capacity = 100'000;
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_max{30'000};
  std::chrono::milliseconds max_retry_after{300'000};    // the cap on a 429's Retry-After
  std::chrono::milliseconds auth_retry{60'000};          // probe period while the token is refused
  std::chrono::milliseconds persist_interval{100};       // the queue reaches the spool this often
  std::chrono::milliseconds maintenance_interval{1000};  // stale records and host memory checked this often

  static UploaderSettings from(const Config& config);
};

class DeliveryLoop;

// Delivers records at least once: a bounded hand-over queue, the SQLite spool
// (everything waiting is written through to it), the delivery scheduler, and a
// rate-limited HTTPS client, on a thread of its own.
class Uploader {
 public:
  // Opens the spool; throws std::runtime_error when it cannot (start-up only).
  Uploader(const UploaderSettings& settings, std::string token, DeliverStats& stats);
  ~Uploader();
  Uploader(const Uploader&) = delete;
  Uploader& operator=(const Uploader&) = delete;

  void start();
  // From any thread. False (and counted) when the hand-over queue is full.
  bool enqueue(Admission record);
  // From any thread: a new token; a paused delivery retries at once.
  void set_token(std::string token);
  // Persists everything waiting and joins the thread. Idempotent.
  void stop();

 private:
  std::unique_ptr<DeliveryLoop> loop_;
  std::thread thread_;
};

}  // namespace flowd
