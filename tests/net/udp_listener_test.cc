#include "onefirewall_flowd/net/udp_listener.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace flowd {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

struct Received {
  std::string exporter;
  uint16_t port;
  std::vector<uint8_t> payload;
};

struct UdpListenerTest : ::testing::Test {
  boost::asio::io_context io;
  ListenerStats stats;
  std::vector<Received> received;
  UdpListener listener{io, stats, [this](const Datagram& d) {
                         received.push_back({d.exporter.to_string(), d.exporter_port,
                                             std::vector<uint8_t>(d.payload.begin(), d.payload.end())});
                       }};

  // Receives until n datagrams arrived or a deadline passes.
  void run_until(size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (received.size() < n && std::chrono::steady_clock::now() < deadline) listener.receive_once(10ms);
  }
};

TEST_F(UdpListenerTest, DeliversDatagramsWithTheirSender) {
  listener.start({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20);
  const auto bound = listener.local_endpoints();
  ASSERT_EQ(bound.size(), 1u);

  ip::udp::socket sender(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  const std::vector<uint8_t> payload = {0, 5, 1, 2, 3};
  sender.send_to(boost::asio::buffer(payload), bound[0]);
  sender.send_to(boost::asio::buffer(payload.data(), 2), bound[0]);
  run_until(2);

  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].exporter, "127.0.0.1");
  EXPECT_EQ(received[0].port, sender.local_endpoint().port());
  EXPECT_EQ(received[0].payload, payload);
  EXPECT_EQ(received[1].payload.size(), 2u);
  EXPECT_EQ(stats.datagrams.value(), 2u);
  EXPECT_EQ(stats.bytes.value(), 7u);
}

TEST_F(UdpListenerTest, DrainsBurstsInFewWakeups) {
  listener.start({{*IpAddress::parse("127.0.0.1"), 0}}, 4 << 20);
  const auto bound = listener.local_endpoints();
  ip::udp::socket sender(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  constexpr size_t kBurst = 500;
  for (size_t i = 0; i < kBurst; ++i) {
    const std::vector<uint8_t> payload = {0, 5, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    sender.send_to(boost::asio::buffer(payload), bound[0]);
  }
  run_until(kBurst);
  ASSERT_EQ(received.size(), kBurst);
  for (size_t i = 0; i < kBurst; ++i) {
    EXPECT_EQ(received[i].payload[3], static_cast<uint8_t>(i)) << "datagrams out of order at " << i;
  }
  // The burst sits in the socket buffer before the loop runs: a few recvmmsg drains take it.
  EXPECT_LE(stats.wakeups.value(), 3u);
}

// IPFIX messages may be 65,535 bytes: the largest UDP payloads, 65,507 bytes
// over IPv4 and 65,527 over IPv6, arrive whole and nothing is dropped.
TEST_F(UdpListenerTest, LargestDatagramsArriveWhole) {
  ip::udp::socket probe(io, ip::udp::endpoint(ip::address_v6::loopback(), 0));
  const uint16_t port = probe.local_endpoint().port();
  probe.close();
  listener.start({{*IpAddress::parse("127.0.0.1"), port}, {*IpAddress::parse("::1"), port}}, 4 << 20);
  ip::udp::socket sender_v4(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  ip::udp::socket sender_v6(io, ip::udp::endpoint(ip::address_v6::loopback(), 0));
  std::vector<uint8_t> largest_v4(65'507), largest_v6(65'527);
  for (size_t i = 0; i < largest_v6.size(); ++i) largest_v6[i] = static_cast<uint8_t>(i * 7);
  for (size_t i = 0; i < largest_v4.size(); ++i) largest_v4[i] = static_cast<uint8_t>(i * 13);
  sender_v4.send_to(boost::asio::buffer(largest_v4), ip::udp::endpoint(ip::address_v4::loopback(), port));
  run_until(1);
  sender_v6.send_to(boost::asio::buffer(largest_v6), ip::udp::endpoint(ip::address_v6::loopback(), port));
  run_until(2);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].payload, largest_v4);
  EXPECT_EQ(received[1].payload, largest_v6);
  EXPECT_EQ(stats.truncated.value(), 0u);
  EXPECT_EQ(stats.bytes.value(), 65'507u + 65'527u);
}

TEST_F(UdpListenerTest, ListensOnIpv4AndIpv6TogetherOnOnePort) {
  ip::udp::socket probe(io, ip::udp::endpoint(ip::address_v6::loopback(), 0));
  const uint16_t port = probe.local_endpoint().port();
  probe.close();
  listener.start({{*IpAddress::parse("0.0.0.0"), port}, {*IpAddress::parse("::"), port}}, 1 << 20);
  ASSERT_EQ(listener.local_endpoints().size(), 2u);

  ip::udp::socket v4(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  ip::udp::socket v6(io, ip::udp::endpoint(ip::address_v6::loopback(), 0));
  const std::vector<uint8_t> payload = {0, 5};
  v4.send_to(boost::asio::buffer(payload), ip::udp::endpoint(ip::address_v4::loopback(), port));
  v6.send_to(boost::asio::buffer(payload), ip::udp::endpoint(ip::address_v6::loopback(), port));
  run_until(2);

  ASSERT_EQ(received.size(), 2u);
  std::vector<std::string> senders = {received[0].exporter, received[1].exporter};
  std::sort(senders.begin(), senders.end());
  EXPECT_EQ(senders, (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST_F(UdpListenerTest, BusyPortIsAStartupErrorNamingTheEndpoint) {
  ip::udp::socket taken(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  const uint16_t port = taken.local_endpoint().port();
  try {
    listener.start({{*IpAddress::parse("127.0.0.1"), port}}, 1 << 20);
    FAIL() << "bind to a busy port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1 port " + std::to_string(port)), std::string::npos)
        << e.what();
  }
}

TEST_F(UdpListenerTest, StopFromAnotherThreadEndsTheLoop) {
  listener.start({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20);
  std::thread stopper([this] {
    std::this_thread::sleep_for(20ms);
    listener.stop();
  });
  const auto start = std::chrono::steady_clock::now();
  listener.run();  // would wait kIdleWait at a time, forever, without the wake
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 150ms);
  EXPECT_TRUE(listener.stopped());
}

// A graceful stop reads what the kernel had already accepted; the loop
// itself would return at once.
TEST_F(UdpListenerTest, AfterStopWhatTheSocketsHoldIsStillHandedOver) {
  listener.start({{*IpAddress::parse("127.0.0.1"), 0}, {*IpAddress::parse("127.0.0.1"), 0}}, 4 << 20);
  const auto bound = listener.local_endpoints();
  ip::udp::socket sender(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  const std::vector<uint8_t> payload(200, 7);
  for (int i = 0; i < 300; ++i)
    sender.send_to(boost::asio::buffer(payload), bound[static_cast<size_t>(i % 2)]);
  listener.stop();
  listener.receive_once(10ms);
  EXPECT_TRUE(received.empty());
  EXPECT_EQ(listener.drain_queued(), 300u);
  EXPECT_EQ(received.size(), 300u);
  EXPECT_EQ(stats.datagrams.value(), 300u);
  EXPECT_EQ(listener.drain_queued(), 0u);
}

// What keeps arriving while it drains is read up to one receive buffer's
// worth, so that a flood faster than the handler cannot hold off a stop.
TEST(UdpListenerDrain, TheDrainAtStopEndsUnderAFlood) {
  boost::asio::io_context io;
  ListenerStats stats;
  UdpListener listener(io, stats, [](const Datagram&) { std::this_thread::sleep_for(100us); });
  listener.start({{*IpAddress::parse("127.0.0.1"), 0}}, 64 << 10);
  const auto to = listener.local_endpoints().at(0);
  std::atomic<bool> flooding{true};
  std::thread flood([&] {
    ip::udp::socket sender(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
    const std::vector<uint8_t> payload(100, 1);
    boost::system::error_code ec;
    const auto give_up = std::chrono::steady_clock::now() + 3s;  // ends an unbounded drain, late
    while (flooding && std::chrono::steady_clock::now() < give_up)
      sender.send_to(boost::asio::buffer(payload), to, 0, ec);
  });
  std::this_thread::sleep_for(20ms);
  listener.stop();
  const auto start = std::chrono::steady_clock::now();
  const size_t drained = listener.drain_queued();
  const auto took = std::chrono::steady_clock::now() - start;
  flooding = false;
  flood.join();
  EXPECT_GT(drained, 0u);
  EXPECT_LT(took, 1s) << drained << " datagrams";
}

// Between drains the thread sleeps through the pause: datagrams landing
// meanwhile neither wake it (a socket left in an epoll set would, once per
// datagram) nor go unread. Voluntary context switches count its sleeps.
TEST_F(UdpListenerTest, DatagramsArrivingInAPauseDoNotWakeTheThread) {
  listener.start({{*IpAddress::parse("127.0.0.1"), 0}}, 4 << 20);
  const auto bound = listener.local_endpoints();
  constexpr size_t kDatagrams = 400;
  long switches = 0;
  std::thread receiver([&] {
    rusage before{}, after{};
    getrusage(RUSAGE_THREAD, &before);
    run_until(kDatagrams);
    getrusage(RUSAGE_THREAD, &after);
    switches = after.ru_nvcsw - before.ru_nvcsw;
  });
  ip::udp::socket sender(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  const std::vector<uint8_t> payload = {0, 5};
  for (size_t i = 0; i < kDatagrams; ++i) {
    sender.send_to(boost::asio::buffer(payload), bound[0]);
    std::this_thread::sleep_for(250us);  // a steady trickle, about 4k a second
  }
  receiver.join();
  ASSERT_EQ(received.size(), kDatagrams);
  EXPECT_LT(switches, static_cast<long>(kDatagrams / 4)) << "the receive thread woke per datagram";
  EXPECT_LT(stats.wakeups.value(), kDatagrams / 4);
}

// Two workers' listeners on one port, as the daemon runs them.
struct SharedPortTest : UdpListenerTest {
  std::vector<Received> joined;
  UdpListener joiner{io, stats, [this](const Datagram& d) {
                       joined.push_back({d.exporter.to_string(), d.exporter_port, {}});
                     }};

  uint16_t start_group() {
    listener.start({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20, PortSharing::kFirst);
    const uint16_t port = listener.local_endpoints().at(0).port();
    joiner.start({{*IpAddress::parse("127.0.0.1"), port}}, 1 << 20, PortSharing::kJoin);
    return port;
  }

  void expect_busy(uint16_t port, PortSharing sharing) {
    boost::asio::io_context other_io;
    ListenerStats other_stats;
    UdpListener other(other_io, other_stats, [](const Datagram&) {});
    EXPECT_THROW(other.start({{*IpAddress::parse("127.0.0.1"), port}}, 1 << 20, sharing), std::runtime_error);
  }
};

TEST_F(SharedPortTest, SendersSpreadOverTheSocketsAndEachStaysOnOne) {
  const uint16_t port = start_group();
  constexpr size_t kSenders = 16, kEach = 3;
  std::vector<std::unique_ptr<ip::udp::socket>> senders;
  for (size_t i = 0; i < kSenders; ++i) {
    senders.push_back(
        std::make_unique<ip::udp::socket>(io, ip::udp::endpoint(ip::address_v4::loopback(), 0)));
  }
  const std::vector<uint8_t> payload = {0, 5};
  for (size_t round = 0; round < kEach; ++round) {
    for (auto& s : senders)
      s->send_to(boost::asio::buffer(payload), ip::udp::endpoint(ip::address_v4::loopback(), port));
  }
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (received.size() + joined.size() < kSenders * kEach && std::chrono::steady_clock::now() < deadline) {
    listener.receive_once(10ms);
    joiner.receive_once(10ms);
  }
  ASSERT_EQ(received.size() + joined.size(), kSenders * kEach);
  EXPECT_FALSE(received.empty());  // all 16 on one socket: odds of 2^-15
  EXPECT_FALSE(joined.empty());
  for (const auto& r : received) {
    for (const auto& j : joined) EXPECT_NE(r.port, j.port) << "one sender reached both sockets";
  }
}

TEST_F(SharedPortTest, AnotherGroupOrSocketCannotTakeThePort) {
  const uint16_t port = start_group();
  expect_busy(port, PortSharing::kFirst);
  expect_busy(port, PortSharing::kNone);
}

TEST_F(SharedPortTest, JoiningAPortThatIsNotSharedFails) {
  listener.start({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20, PortSharing::kNone);
  expect_busy(listener.local_endpoints().at(0).port(), PortSharing::kJoin);
}

TEST(ReceiveBuffer, ReportsWhatTheKernelGranted) {
  boost::asio::io_context io;
  ip::udp::socket s(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  const uint64_t granted = set_receive_buffer(s, 256 * 1024);
  EXPECT_GE(granted, 4096u);
  // As root SO_RCVBUFFORCE gives all that was asked; otherwise rmem_max caps it.
  EXPECT_LE(granted, 256u * 1024u);
}

}  // namespace
}  // namespace flowd
