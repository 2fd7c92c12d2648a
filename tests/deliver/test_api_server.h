#pragma once

// A local HTTPS stand-in for the OneFirewall API that enforces its documented
// contract strictly: POST to the path, JSON content type, the token, exactly
// the eight fields with their types, and at most `limit` requests in any
// sliding `period` (429 beyond, every request counted). Faults can be injected:
// latency, 5xx bursts, an outage (connections refused), a changed token,
// 400 for chosen bodies. A certificate for 127.0.0.1/localhost is made at
// start with the openssl CLI.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace flowd::testing {

struct ApiServerOptions {
  std::string token = "Bearer test-token";
  uint32_t limit = 150;
  std::chrono::milliseconds period{10'000};
  bool require_client_cert = false;  // mutual TLS with the certificate client_cert_file() names
};

// One request as the server saw it.
struct SeenRequest {
  std::chrono::steady_clock::time_point arrival;
  int status = 0;
  std::string body;
};

class TestApiServer {
 public:
  using Clock = std::chrono::steady_clock;

  // Makes a certificate in `dir` and starts listening on a free loopback port.
  TestApiServer(const std::filesystem::path& dir, ApiServerOptions options);
  ~TestApiServer();
  TestApiServer(const TestApiServer&) = delete;
  TestApiServer& operator=(const TestApiServer&) = delete;

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::string ca_file() const { return (dir_ / "cert.pem").string(); }
  [[nodiscard]] std::string client_cert_file() const { return (dir_ / "client-cert.pem").string(); }
  [[nodiscard]] std::string client_key_file() const { return (dir_ / "client-key.pem").string(); }

  void set_latency(std::chrono::milliseconds latency) { latency_ms_ = latency.count(); }
  // The next `count` requests that pass the checks get `status` instead of 201.
  void fail_next(int count, int status);
  void set_token(const std::string& token);
  // Down: the port refuses connections and open ones are cut.
  void set_down(bool down);
  // 429s carry this Retry-After instead of the seconds until a slot frees ("" sends none).
  void set_retry_after(const std::string& value);
  // Bodies containing `needle` get a 400, as if the API found them invalid.
  void reject_bodies_containing(const std::string& needle);

  [[nodiscard]] std::vector<SeenRequest> requests() const;
  [[nodiscard]] std::vector<std::string> accepted_bodies() const;
  [[nodiscard]] size_t count_status(int status) const;
  // Requests that broke the contract (wrong fields, types, headers).
  [[nodiscard]] size_t contract_violations() const;
  [[nodiscard]] std::vector<std::string> violation_reasons() const;

 private:
  struct Verdict {
    int status;
    std::string body;
    std::string retry_after;
  };
  class Connections;

  void open_acceptor();
  void close_acceptor();
  void accept_loop(int listen_fd);
  void serve(int fd);
  Verdict judge(const std::string& method, const std::string& target, const std::string& content_type,
                const std::string& authorization, const std::string& body);
  std::string retry_after_locked(Clock::time_point now) const;

  std::filesystem::path dir_;
  ApiServerOptions options_;
  uint16_t port_ = 0;
  std::atomic<int64_t> latency_ms_{0};

  mutable std::mutex mutex_;
  std::deque<Clock::time_point> window_;
  std::vector<SeenRequest> seen_;
  std::vector<std::string> violations_;
  int fail_count_ = 0;
  int fail_status_ = 503;
  std::string reject_needle_;
  std::optional<std::string> retry_after_;

  std::mutex lifecycle_mutex_;
  int listen_fd_ = -1;
  std::thread acceptor_;
  std::unique_ptr<Connections> connections_;
  std::shared_ptr<void> tls_;  // boost::asio::ssl::context, kept out of this header
};

}  // namespace flowd::testing
