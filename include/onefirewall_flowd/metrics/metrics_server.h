#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/metrics/metrics_registry.h"

namespace flowd {

struct Health {
  bool ok = true;
  std::string reason;  // short, for the /healthz JSON body
};

// Serves Prometheus text at /metrics and liveness at /healthz over plain
// HTTP/1.1 on the io_context's thread. Connections are few and short-lived:
// each has a deadline and their number is capped.
class MetricsServer {
 public:
  using HealthCheck = std::function<Health()>;

  MetricsServer(boost::asio::io_context& io, const MetricsRegistry& registry, HealthCheck health);
  ~MetricsServer();

  // Throws std::runtime_error naming the endpoint when it cannot listen.
  void start(const Endpoint& endpoint);
  void stop();
  [[nodiscard]] uint16_t port() const;

  static constexpr size_t kMaxConnections = 16;

 private:
  class Session;
  void accept();

  boost::asio::io_context& io_;
  const MetricsRegistry& registry_;
  HealthCheck health_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<size_t> open_sessions_;
};

}  // namespace flowd
