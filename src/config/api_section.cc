#include <limits>

#include "sections.h"
#include "value_readers.h"

namespace flowd::config_detail {
namespace {

constexpr uint32_t kMaxConcurrency = 64;
// The range of api.host_memory and api.max_age: 1s..365 days.
constexpr std::chrono::milliseconds kMinRetention = std::chrono::seconds{1};
constexpr std::chrono::milliseconds kMaxRetention = std::chrono::hours{8760};
// Bounded so that deadlines computed from them stay far from overflow.
constexpr std::chrono::milliseconds kShortestDuration{1};
constexpr std::chrono::milliseconds kLongestRatePeriod = std::chrono::hours{24};
constexpr std::chrono::milliseconds kLongestTimeout = std::chrono::hours{1};
constexpr uint64_t kMinHostMemoryLimit = 1'000;
constexpr uint64_t kMaxHostMemoryLimit = 100'000'000;
// The range of api.max_retry_after: a 429 may stop delivery for at most an hour.
constexpr std::chrono::milliseconds kMinRetryAfterCap = std::chrono::seconds{1};
constexpr std::chrono::milliseconds kMaxRetryAfterCap = std::chrono::hours{1};

// The token itself must never sit in the config, so a value shaped like one is
// refused without being echoed.
bool looks_like_token(std::string_view text) {
  return text.starts_with("Bearer ") || text.starts_with("bearer ") || text.starts_with("eyJ");
}

std::string read_token_file(const Field& field) {
  std::string path = read_text(field);
  if (looks_like_token(path)) {
    field.fail("looks like a token, not a path; put the token in a file and name that file here");
  }
  return path;
}

void read_rate_limit(const Field& field, ApiConfig& api) {
  const Section section(field, keys::kRateLimit);
  if (auto requests = section.find("requests")) {
    api.rate_limit_requests =
        static_cast<uint32_t>(read_unsigned(*requests, 1, std::numeric_limits<uint32_t>::max()));
  }
  if (auto period = section.find("period")) {
    api.rate_limit_period = read_duration_in(*period, kShortestDuration, kLongestRatePeriod, false);
  }
}

// A client certificate needs its key, and a key its certificate.
void read_client_identity(const Section& section, ApiConfig& api) {
  const auto cert = section.find("client_cert");
  const auto key = section.find("client_key");
  if (cert) api.client_cert = read_text(*cert);
  if (key) api.client_key = read_text(*key);
  if (cert && !key) cert->fail("needs api.client_key, the certificate's private key, too");
  if (key && !cert) key->fail("needs api.client_cert, the certificate for this key, too");
}

// The settings of the delivery scheduler (DESIGN.md, "Delivery order").
void read_delivery_order(const Section& section, ApiConfig& api) {
  if (auto memory = section.find("host_memory")) {
    api.host_memory = read_duration_in(*memory, kMinRetention, kMaxRetention, false);
  }
  if (auto limit = section.find("host_memory_limit")) {
    api.host_memory_limit = read_unsigned(*limit, kMinHostMemoryLimit, kMaxHostMemoryLimit);
  }
  if (auto max_age = section.find("max_age")) {
    api.max_age = read_duration_in(*max_age, kMinRetention, kMaxRetention, true);
  }
}

}  // namespace

void read_api(const Field& field, ApiConfig& api) {
  const Section section(field, keys::kApi);
  if (auto url = section.find("url")) api.url = read_url(*url);
  if (auto token_file = section.find("token_file")) api.token_file = read_token_file(*token_file);
  if (auto rate_limit = section.find("rate_limit")) read_rate_limit(*rate_limit, api);
  if (auto concurrency = section.find("concurrency")) {
    api.concurrency = static_cast<uint32_t>(read_unsigned(*concurrency, 1, kMaxConcurrency));
  }
  if (auto timeout = section.find("timeout")) {
    api.timeout = read_duration_in(*timeout, kShortestDuration, kLongestTimeout, false);
  }
  if (auto cap = section.find("max_retry_after")) {
    api.max_retry_after = read_duration_in(*cap, kMinRetryAfterCap, kMaxRetryAfterCap, false);
  }
  read_delivery_order(section, api);
  if (auto ca_file = section.find("ca_file")) api.ca_file = read_text(*ca_file);
  read_client_identity(section, api);
  if (auto send_ipv6 = section.find("send_ipv6")) api.send_ipv6 = read_bool(*send_ipv6);
}

}  // namespace flowd::config_detail
