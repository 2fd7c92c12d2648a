#include "onefirewall_flowd/metrics/metrics_server.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "onefirewall_flowd/net/asio_address.h"

namespace flowd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

ip::tcp::endpoint to_tcp(const Endpoint& e) {
  return {to_asio_address(e.address), e.port};
}

}  // namespace

class MetricsServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ip::tcp::socket socket, MetricsServer& server, std::shared_ptr<size_t> open)
      : stream_(std::move(socket)), server_(server), open_(std::move(open)) {
    ++*open_;
  }
  ~Session() { --*open_; }

  void start() { read(); }

 private:
  void read() {
    request_ = {};
    stream_.expires_after(10s);
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return;  // closed, timed out or malformed: just drop the connection
    respond();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code write_ec, size_t) {
      if (!write_ec && self->response_.keep_alive()) self->read();
    });
  }

  void respond() {
    response_ = {};
    response_.version(request_.version());
    response_.keep_alive(request_.keep_alive());
    response_.set(http::field::server, "onefirewall-flowd");
    const auto target = request_.target();
    if (request_.method() != http::verb::get && request_.method() != http::verb::head) {
      set(http::status::method_not_allowed, "text/plain", "only GET\n");
    } else if (target == "/metrics") {
      set(http::status::ok, "text/plain; version=0.0.4; charset=utf-8", server_.registry_.render());
    } else if (target == "/healthz") {
      const Health h = server_.health_ ? server_.health_() : Health{};
      const nlohmann::json body = {{"status", h.ok ? "ok" : "unhealthy"}, {"reason", h.reason}};
      set(h.ok ? http::status::ok : http::status::service_unavailable, "application/json",
          body.dump() + "\n");
    } else {
      set(http::status::not_found, "text/plain", "try /metrics or /healthz\n");
    }
    if (request_.method() == http::verb::head) response_.body().clear();
  }

  void set(http::status status, const char* type, std::string body) {
    response_.result(status);
    response_.set(http::field::content_type, type);
    response_.body() = std::move(body);
    response_.prepare_payload();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{8192};
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  MetricsServer& server_;
  std::shared_ptr<size_t> open_;
};

MetricsServer::MetricsServer(boost::asio::io_context& io, const MetricsRegistry& registry, HealthCheck health)
    : io_(io),
      registry_(registry),
      health_(std::move(health)),
      acceptor_(io),
      open_sessions_(std::make_shared<size_t>(0)) {}

MetricsServer::~MetricsServer() {
  stop();
}

void MetricsServer::start(const Endpoint& endpoint) {
  const auto e = to_tcp(endpoint);
  boost::system::error_code ec;
  acceptor_.open(e.protocol(), ec);
  if (!ec) acceptor_.set_option(ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(e, ec);
  if (!ec) acceptor_.listen(ip::tcp::socket::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("metrics: cannot listen on " + endpoint.address.to_string() + " port " +
                             std::to_string(endpoint.port) + ": " + ec.message());
  }
  spdlog::info("metrics on http://{}:{}/metrics", endpoint.address.to_string(), port());
  accept();
}

void MetricsServer::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

uint16_t MetricsServer::port() const {
  boost::system::error_code ec;
  const auto e = acceptor_.local_endpoint(ec);
  return ec ? 0 : e.port();
}

void MetricsServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
    // Past the cap a connection is closed at once rather than queued.
    if (!ec && *open_sessions_ < kMaxConnections) {
      std::make_shared<Session>(std::move(socket), *this, open_sessions_)->start();
    }
    accept();
  });
}

}  // namespace flowd
