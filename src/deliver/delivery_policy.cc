#include "onefirewall_flowd/deliver/delivery_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace flowd {

Outcome classify(long status) {
  if (status >= 200 && status < 300) return Outcome::kDelivered;
  if (status == 401 || status == 403) return Outcome::kAuthRefused;
  if (status == 429) return Outcome::kThrottled;
  // 408 and 425 ask for a retry; the other 4xx say the record is wrong.
  if (status == 408 || status == 425) return Outcome::kRetryLater;
  if (status >= 400 && status < 500) return Outcome::kDeadLetter;
  return Outcome::kRetryLater;  // 5xx, 3xx (a moved URL), no answer
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() &&
         (value.back() == ' ' || value.back() == '\t' || value.back() == '\r' || value.back() == '\n')) {
    value.remove_suffix(1);
  }
  if (value.empty()) return std::nullopt;
  constexpr int64_t kLongestSeconds =
      std::chrono::duration_cast<std::chrono::seconds>(kLongestRetryAfter).count();
  uint64_t digits = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), digits);
  if (end == value.data() + value.size() && (ec == std::errc{} || ec == std::errc::result_out_of_range)) {
    const bool huge = ec != std::errc{} || digits > static_cast<uint64_t>(kLongestSeconds);
    return milliseconds((huge ? kLongestSeconds : static_cast<int64_t>(digits)) * 1000);
  }
  const time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when < 0) return std::nullopt;
  // In whole seconds: a time_point of a date past 2262 would overflow the clock's nanoseconds.
  const int64_t seconds =
      static_cast<int64_t>(when) - static_cast<int64_t>(std::chrono::system_clock::to_time_t(now));
  if (seconds <= 0) return milliseconds(0);
  return milliseconds(std::min(seconds, kLongestSeconds) * 1000);
}

std::optional<std::chrono::milliseconds> throttled_wait(std::string_view retry_after,
                                                        std::chrono::system_clock::time_point now,
                                                        std::chrono::milliseconds cap) {
  const auto wait = parse_retry_after(retry_after, now);
  if (!wait || *wait <= std::chrono::milliseconds(0)) return std::nullopt;
  return std::min(*wait, cap);
}

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max, uint64_t seed)
    : base_(base), max_(max), random_(seed) {}

std::chrono::milliseconds Backoff::next() {
  const uint32_t shift = std::min<uint32_t>(attempt_, 20);
  ++attempt_;
  const int64_t ceiling = std::min<int64_t>(base_.count() << shift, max_.count());
  std::uniform_int_distribution<int64_t> jitter(ceiling / 2, std::max<int64_t>(ceiling, 1));
  return std::chrono::milliseconds(jitter(random_));
}

}  // namespace flowd
