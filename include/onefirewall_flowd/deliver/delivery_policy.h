#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "onefirewall_flowd/deliver/deliver_stats.h"

namespace flowd {

// What to do with a record after one attempt.
enum class Outcome {
  kDelivered,    // 2xx
  kDeadLetter,   // the API says the record itself is wrong: never retried
  kThrottled,    // 429: wait (Retry-After), then retry
  kRetryLater,   // 5xx, 408, timeouts, connection errors: back off, retry
  kAuthRefused,  // 401/403: pause delivery until the token changes
};

// Classifies an HTTP status; 0 means no answer (a transport error).
[[nodiscard]] Outcome classify(long status);

// Retry-After as delta-seconds or an HTTP date, relative to `now`: 0 for a
// past date, saturating at kLongestRetryAfter (no overflow, whatever the year).
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);
inline constexpr std::chrono::milliseconds kLongestRetryAfter = std::chrono::hours{24 * 365 * 100};

// How long a 429 with this Retry-After waits: at most `cap`, and nullopt when
// the header asks for no wait at all (absent, unreadable, 0 or past), so that
// the caller backs off instead.
[[nodiscard]] std::optional<std::chrono::milliseconds> throttled_wait(
    std::string_view retry_after, std::chrono::system_clock::time_point now, std::chrono::milliseconds cap);

// Exponential backoff with jitter: attempt n waits a random time in
// [base·2ⁿ/2, base·2ⁿ], capped at `max`.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max,
          uint64_t seed = std::random_device{}());

  [[nodiscard]] std::chrono::milliseconds next();
  void reset() { attempt_ = 0; }
  [[nodiscard]] uint32_t attempt() const { return attempt_; }

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds max_;
  uint32_t attempt_ = 0;
  std::mt19937_64 random_;
};

}  // namespace flowd
