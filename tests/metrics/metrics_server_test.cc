#include "onefirewall_flowd/metrics/metrics_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <thread>

namespace flowd {
namespace {

namespace ip = boost::asio::ip;

// A plain HTTP/1.0-style exchange over a real TCP socket: write the request,
// read until the server closes.
std::string http_get(uint16_t port, const std::string& request) {
  boost::asio::io_context io;
  ip::tcp::socket s(io);
  s.connect({ip::address_v4::loopback(), port});
  boost::asio::write(s, boost::asio::buffer(request));
  std::string response;
  boost::system::error_code ec;
  boost::asio::read(s, boost::asio::dynamic_buffer(response), ec);
  return response;
}

struct MetricsServerTest : ::testing::Test {
  boost::asio::io_context io;
  MetricsRegistry registry;
  Health health{true, ""};
  MetricsServer server{io, registry, [this] { return health; }};
  std::thread loop;

  void start() {
    server.start({*IpAddress::parse("127.0.0.1"), 0});
    loop = std::thread([this] { io.run(); });
  }
  ~MetricsServerTest() override {
    boost::asio::post(io, [this] { server.stop(); });
    io.stop();
    if (loop.joinable()) loop.join();
  }
  std::string get(const std::string& path) {
    return http_get(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }
};

TEST_F(MetricsServerTest, ServesPrometheusText) {
  registry.add([](MetricsWriter& w) { w.counter("packets_received_total", "Datagrams.", 7); });
  start();
  const std::string r = get("/metrics");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << r;
  EXPECT_NE(r.find("\r\n\r\n# HELP onefirewall_flowd_packets_received_total"), std::string::npos) << r;
  EXPECT_NE(r.find("onefirewall_flowd_packets_received_total 7\n"), std::string::npos) << r;
}

TEST_F(MetricsServerTest, HealthzIs200WhenHealthyAnd503WithAReason) {
  start();
  std::string r = get("/healthz");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  EXPECT_NE(r.find(R"({"reason":"","status":"ok"})"), std::string::npos) << r;
  health = {false, "delivery stuck: 401 from the API"};
  r = get("/healthz");
  EXPECT_EQ(r.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("delivery stuck: 401 from the API"), std::string::npos) << r;
}

TEST_F(MetricsServerTest, UnknownPathIs404AndPostIs405) {
  start();
  EXPECT_EQ(get("/nope").rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  const std::string r = http_get(
      server.port(), "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << r;
}

TEST_F(MetricsServerTest, GarbageRequestOnlyClosesThatConnection) {
  start();
  EXPECT_EQ(http_get(server.port(), "\x01\x02 not http\r\n\r\n"), "");
  EXPECT_EQ(get("/metrics").rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

TEST(MetricsServerStart, BusyPortIsAStartupErrorNamingTheEndpoint) {
  boost::asio::io_context io;
  ip::tcp::acceptor taken(io, {ip::address_v4::loopback(), 0});
  MetricsRegistry registry;
  MetricsServer server(io, registry, nullptr);
  const uint16_t port = taken.local_endpoint().port();
  try {
    server.start({*IpAddress::parse("127.0.0.1"), port});
    FAIL() << "listening on a busy port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1 port " + std::to_string(port)), std::string::npos);
  }
}

}  // namespace
}  // namespace flowd
