#include "onefirewall_flowd/net/tcp_listener.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>
#include <vector>

namespace flowd {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

// An IPFIX message of `length` bytes: a header, then filler.
std::vector<uint8_t> message_of(uint16_t length) {
  std::vector<uint8_t> m(length, 0xAB);
  m[0] = 0;
  m[1] = 10;
  m[2] = static_cast<uint8_t>(length >> 8);
  m[3] = static_cast<uint8_t>(length);
  return m;
}

struct Received {
  std::string exporter;
  uint16_t port;
  size_t size;
  uint64_t session;
};

struct TcpListenerTest : ::testing::Test {
  boost::asio::io_context io;
  TcpListenerStats stats;
  std::vector<Received> received;
  std::vector<uint64_t> sessions_closed;
  std::unique_ptr<TcpListener> listener;

  void start(const TcpListenerSettings& settings, TcpListener::Admission admission = {}) {
    listener = std::make_unique<TcpListener>(
        io, settings, stats,
        [this](const Datagram& d, uint64_t session) {
          received.push_back({d.exporter.to_string(), d.exporter_port, d.payload.size(), session});
        },
        [this](uint64_t session) { sessions_closed.push_back(session); }, std::move(admission));
    listener->start({{*IpAddress::parse("127.0.0.1"), 0}});
  }

  // A connection from `source` (any 127.x.y.z works on Linux loopback).
  ip::tcp::socket connect(const char* source = "127.0.0.1") {
    ip::tcp::socket client(io, ip::tcp::endpoint(ip::make_address(source), 0));
    client.connect(listener->local_endpoints().at(0));
    return client;
  }

  // Runs the listener until done() or a deadline passes.
  template <typename Done>
  void run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) io.run_for(5ms);
  }

  uint64_t closed(TcpCloseReason reason) const { return stats.closed.value(reason); }
};

TEST_F(TcpListenerTest, DeliversMessagesSplitAcrossWritesWithTheConnectionsAddress) {
  start({});
  auto client = connect();
  const std::vector<uint8_t> message = message_of(60);
  boost::asio::write(client, boost::asio::buffer(message.data(), 3));
  run_until([&] { return stats.bytes.value() == 3; });
  boost::asio::write(client, boost::asio::buffer(message.data() + 3, 20));
  run_until([&] { return stats.bytes.value() == 23; });
  boost::asio::write(client, boost::asio::buffer(message.data() + 23, message.size() - 23));
  run_until([&] { return received.size() == 1; });
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].exporter, "127.0.0.1");
  EXPECT_EQ(received[0].port, client.local_endpoint().port());
  EXPECT_EQ(received[0].size, 60U);
}

TEST_F(TcpListenerTest, DeliversEveryMessageOfOneWrite) {
  start({});
  auto client = connect();
  std::vector<uint8_t> stream = message_of(40);
  const std::vector<uint8_t> second = message_of(100);
  stream.insert(stream.end(), second.begin(), second.end());
  boost::asio::write(client, boost::asio::buffer(stream));
  run_until([&] { return received.size() == 2; });
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(received[1].size, 100U);
  EXPECT_EQ(stats.messages.value(), 2U);
}

// The kernel acknowledged these bytes to the exporter, which will not send
// them again: a stop decodes the whole messages among them.
TEST_F(TcpListenerTest, StopHandsOverTheWholeMessagesTheSocketAlreadyHolds) {
  start({});
  auto client = connect();
  run_until([&] { return listener->connections() == 1; });
  std::vector<uint8_t> stream = message_of(40);
  const std::vector<uint8_t> second = message_of(300);
  stream.insert(stream.end(), second.begin(), second.end());
  stream.insert(stream.end(), second.begin(), second.begin() + 10);  // a message cut short by the stop
  boost::asio::write(client, boost::asio::buffer(stream));
  std::this_thread::sleep_for(20ms);  // over loopback
  ASSERT_TRUE(received.empty());
  listener->stop();
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(received[1].size, 300U);
  EXPECT_EQ(stats.bytes.value(), stream.size());
  EXPECT_EQ(closed(TcpCloseReason::kShutdown), 1U);
  EXPECT_EQ(sessions_closed.size(), 1U);
}

TEST_F(TcpListenerTest, ClosesAndCountsAConnectionThatSendsGarbage) {
  start({});
  auto client = connect();
  const std::string garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::asio::write(client, boost::asio::buffer(garbage));
  run_until([&] { return closed(TcpCloseReason::kBadVersion) == 1; });
  EXPECT_EQ(closed(TcpCloseReason::kBadVersion), 1U);
  EXPECT_EQ(listener->connections(), 0U);
  EXPECT_EQ(sessions_closed.size(), 1U);
  EXPECT_TRUE(received.empty());
}

TEST_F(TcpListenerTest, ClosesAndCountsALengthShorterThanTheHeader) {
  start({});
  auto client = connect();
  boost::asio::write(client, boost::asio::buffer(message_of(16).data(), 2));
  const std::vector<uint8_t> rest = {0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  boost::asio::write(client, boost::asio::buffer(rest));
  run_until([&] { return closed(TcpCloseReason::kBadLength) == 1; });
  EXPECT_EQ(closed(TcpCloseReason::kBadLength), 1U);
}

TEST_F(TcpListenerTest, ClosesAConnectionThatStallsMidMessageAfterTheDeadline) {
  start({.idle_timeout = 1h, .message_deadline = 100ms});
  auto client = connect();
  boost::asio::write(client, boost::asio::buffer(message_of(64).data(), 20));
  run_until([&] { return closed(TcpCloseReason::kStalled) == 1; });
  EXPECT_EQ(closed(TcpCloseReason::kStalled), 1U);
  EXPECT_EQ(stats.open.load(), 0U);
}

TEST_F(TcpListenerTest, ClosesAConnectionIdleForTheIdleTimeout) {
  start({.idle_timeout = 100ms, .message_deadline = 1h});
  auto client = connect();
  boost::asio::write(client, boost::asio::buffer(message_of(20)));
  run_until([&] { return closed(TcpCloseReason::kIdle) == 1; });
  EXPECT_EQ(closed(TcpCloseReason::kIdle), 1U);
  EXPECT_EQ(received.size(), 1U);
}

TEST_F(TcpListenerTest, CountsAConnectionTheExporterClosed) {
  start({});
  auto client = connect();
  boost::asio::write(client, boost::asio::buffer(message_of(20)));
  client.close();
  run_until([&] { return closed(TcpCloseReason::kPeerClosed) == 1; });
  EXPECT_EQ(closed(TcpCloseReason::kPeerClosed), 1U);
  ASSERT_EQ(sessions_closed.size(), 1U);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(sessions_closed[0], received[0].session);
}

TEST_F(TcpListenerTest, RefusesUnlistedExportersBeforeTheyHoldAnything) {
  start({}, [](const IpAddress&) { return TcpAdmission::kRefused; });
  auto client = connect();
  boost::asio::write(client, boost::asio::buffer(message_of(20)));
  run_until([&] { return closed(TcpCloseReason::kUnlisted) == 1; });
  EXPECT_EQ(closed(TcpCloseReason::kUnlisted), 1U);
  EXPECT_EQ(listener->connections(), 0U);
  EXPECT_TRUE(received.empty());
}

TEST_F(TcpListenerTest, AListedExporterAtTheCapTakesTheOldestUnlistedConnectionsPlace) {
  const IpAddress listed = *IpAddress::parse("127.0.0.2");
  start({.max_connections = 2},
        [&](const IpAddress& a) { return a == listed ? TcpAdmission::kListed : TcpAdmission::kUnlisted; });
  auto oldest = connect();
  run_until([&] { return stats.accepted.value() == 1; });
  auto newer = connect();
  run_until([&] { return stats.accepted.value() == 2; });
  auto one_too_many = connect();
  run_until([&] { return closed(TcpCloseReason::kOverCapacity) == 1; });
  auto firewall = connect("127.0.0.2");
  run_until([&] { return closed(TcpCloseReason::kEvicted) == 1; });
  EXPECT_EQ(closed(TcpCloseReason::kEvicted), 1U);
  EXPECT_EQ(listener->connections(), 2U);
  boost::asio::write(firewall, boost::asio::buffer(message_of(20)));
  run_until([&] { return received.size() == 1; });
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].exporter, "127.0.0.2");
  EXPECT_EQ(sessions_closed.front(), 1U) << "the oldest unlisted connection made room";
}

TEST_F(TcpListenerTest, ThousandIdleConnectionsHoldTheCapAndNewOnesAreServedOnceTheyExpire) {
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
  setrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < 1500) GTEST_SKIP() << "needs 1,500 file descriptors";
  start({.max_connections = 256, .idle_timeout = 500ms, .message_deadline = 1h});
  std::vector<ip::tcp::socket> idle;
  for (int i = 0; i < 1000; ++i) idle.push_back(connect());
  run_until([&] { return stats.accepted.value() == 1000; });
  EXPECT_EQ(stats.accepted.value(), 1000U);
  EXPECT_EQ(listener->connections(), 256U);
  EXPECT_EQ(stats.open.load(), 256U);
  EXPECT_EQ(closed(TcpCloseReason::kOverCapacity), 744U);

  run_until([&] { return closed(TcpCloseReason::kIdle) == 256; });
  EXPECT_EQ(closed(TcpCloseReason::kIdle), 256U);
  auto exporter = connect();
  boost::asio::write(exporter, boost::asio::buffer(message_of(30)));
  run_until([&] { return received.size() == 1; });
  EXPECT_EQ(received.size(), 1U);
}

}  // namespace
}  // namespace flowd
