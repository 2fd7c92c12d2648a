#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onefirewall_flowd/deliver/deliver_stats.h"

namespace flowd {

struct HttpSettings {
  std::string url;
  std::string ca_file;      // extra trust anchor beside the system store; "" for none
  std::string client_cert;  // mutual TLS: PEM certificate and key; "" for none
  std::string client_key;
  uint32_t concurrency = 4;
  std::chrono::milliseconds timeout{10'000};
};

// The end of one request: an HTTP status, or a transport error (status 0).
struct HttpResult {
  uint64_t tag = 0;
  long status = 0;
  std::optional<TransportError> error;
  std::string response;     // the first 64 KiB of the body
  std::string retry_after;  // the Retry-After header, if any
  // No earlier than the request went out (after connection and TLS set-up),
  // and as close to it as the client can tell; nullopt when it never went out.
  std::optional<std::chrono::steady_clock::time_point> sent_by;
};

// POSTs JSON bodies over libcurl's multi interface: up to `concurrency`
// requests in flight, kept-alive connections, HTTP/2 where the server offers
// it, TLS always verified. Proxies come from the standard environment
// variables. Used by one thread; wakeup() may be called from any thread.
class HttpClient {
 public:
  // Throws std::runtime_error when libcurl cannot be set up (start-up only).
  explicit HttpClient(const HttpSettings& settings);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  [[nodiscard]] bool has_free_slot() const;
  [[nodiscard]] size_t in_flight() const;
  // Starts a POST; requires has_free_slot(). The token is sent verbatim.
  void start(uint64_t tag, const std::string& body, const std::string& token);
  // Runs transfers, waiting at most `timeout` for activity, and appends the finished ones.
  void poll(std::chrono::milliseconds timeout, std::vector<HttpResult>& finished);
  // Interrupts a poll() in progress.
  void wakeup();
  // Abandons every request in flight.
  void abort_all();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowd
