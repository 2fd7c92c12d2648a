// IPFIX over TCP through the worker pool: real loopback connections, the
// shared reduce and sink, templates scoped to each connection.
#include <gtest/gtest.h>

#include <boost/asio/write.hpp>
#include <cstdio>
#include <functional>
#include <thread>

#include "app/named_exporters.h"
#include "decode/ipfix_vectors.h"
#include "onefirewall_flowd/app/worker_pool.h"
#include "wait_until.h"

namespace flowd {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

using test::wait_until;

// The template-and-data message without its 76-byte template set.
std::vector<uint8_t> data_only() {
  std::vector<uint8_t> message = test::hex(test::kIpfixTemplateAndData);
  message.erase(message.begin() + 16, message.begin() + 16 + 76);
  message[2] = static_cast<uint8_t>(message.size() >> 8);
  message[3] = static_cast<uint8_t>(message.size());
  return message;
}

struct TcpReceiverTest : ::testing::Test {
  std::FILE* out = std::tmpfile();
  StdoutSink sink{out};
  ReduceStats reduce;
  Config config = test::config_naming({"127.0.0.1"}, "lab-fw");
  std::unique_ptr<SharedStages> shared;
  std::unique_ptr<WorkerPool> pool;
  boost::asio::io_context io;

  ~TcpReceiverTest() override {
    pool.reset();
    std::fclose(out);
  }

  void start(const TcpListenerSettings& settings = {}) {
    shared = std::make_unique<SharedStages>(config, reduce, sink);
    pool = std::make_unique<WorkerPool>(1, config, *shared, [](const std::string&) {});
    pool->listen({{*IpAddress::parse("127.0.0.1"), 0}}, 1 << 20);
    pool->listen_tcp({{*IpAddress::parse("127.0.0.1"), 0}}, settings);
    pool->start();
  }

  ip::tcp::socket connect() {
    ip::tcp::socket exporter(io);
    exporter.connect(pool->tcp_endpoints().at(0));
    return exporter;
  }

  [[nodiscard]] uint64_t flows() const {
    WorkerStats total;
    pool->add_stats_to(total);
    return total.decode.flows.value();
  }
  [[nodiscard]] uint64_t pending_held() const {
    WorkerStats total;
    pool->add_stats_to(total);
    return total.decode.pending_held.value();
  }
  [[nodiscard]] uint64_t messages() const { return pool->tcp_stats().messages.value(); }
};

TEST_F(TcpReceiverTest, DecodesTemplateAndDataSentInOneWriteAndInSplitWrites) {
  start();
  auto exporter = connect();
  const std::vector<uint8_t> message = test::hex(test::kIpfixTemplateAndData);
  boost::asio::write(exporter, boost::asio::buffer(message));
  boost::asio::write(exporter, boost::asio::buffer(message.data(), 7));
  std::this_thread::sleep_for(5ms);  // lets the rest arrive in a read of its own
  boost::asio::write(exporter, boost::asio::buffer(message.data() + 7, 90));
  std::this_thread::sleep_for(5ms);
  boost::asio::write(exporter, boost::asio::buffer(message.data() + 97, message.size() - 97));
  ASSERT_TRUE(wait_until([&] { return flows() == 4; })) << flows();
  EXPECT_EQ(messages(), 2U);
  std::map<IpAddress, ExporterCounts> heard;
  ExporterCounts other;
  pool->add_exporters_to(heard, other);
  EXPECT_EQ(heard.at(*IpAddress::parse("127.0.0.1")).flows, 4U);
}

TEST_F(TcpReceiverTest, AClosedConnectionsTemplatesDoNotDecodeTheNextConnectionsData) {
  start();
  {
    auto first = connect();
    boost::asio::write(first, boost::asio::buffer(test::hex(test::kIpfixTemplateAndData)));
    ASSERT_TRUE(wait_until([&] { return flows() == 2; }));
    EXPECT_TRUE(wait_until([&] { return pool->templates_active() == 1; }));
  }
  ASSERT_TRUE(wait_until([&] { return pool->tcp_stats().closed.value(TcpCloseReason::kPeerClosed) == 1; }));
  auto second = connect();
  boost::asio::write(second, boost::asio::buffer(data_only()));
  ASSERT_TRUE(wait_until([&] { return messages() == 2; }));
  pool->stop();
  pool->join();
  EXPECT_EQ(flows(), 2U) << "the data was decoded with the closed session's template";
  EXPECT_EQ(pending_held(), 1U);
  EXPECT_EQ(pool->templates_active(), 0U) << "the closed session's template is withdrawn";
}

TEST_F(TcpReceiverTest, TwoOpenConnectionsFromOneAddressKeepTheirTemplatesApart) {
  start();
  auto with_template = connect();
  auto without = connect();
  boost::asio::write(with_template, boost::asio::buffer(test::hex(test::kIpfixTemplateAndData)));
  ASSERT_TRUE(wait_until([&] { return flows() == 2; }));
  boost::asio::write(without, boost::asio::buffer(data_only()));
  ASSERT_TRUE(wait_until([&] { return messages() == 2; }));
  pool->stop();
  pool->join();
  EXPECT_EQ(flows(), 2U);
}

TEST_F(TcpReceiverTest, RefusesAnUnlistedExporterWhenUnknownOnesAreNotAccepted) {
  config = test::config_naming({"192.0.2.1"}, "lab-fw");
  config.accept_unknown_exporters = false;
  start();
  auto exporter = connect();
  boost::asio::write(exporter, boost::asio::buffer(test::hex(test::kIpfixTemplateAndData)));
  ASSERT_TRUE(wait_until([&] { return pool->tcp_stats().closed.value(TcpCloseReason::kUnlisted) == 1; }));
  EXPECT_EQ(messages(), 0U);
  EXPECT_EQ(flows(), 0U);
}

TEST_F(TcpReceiverTest, KeepsServingUdpAndNewConnectionsAfterIdleOnesTimeOut) {
  start({.max_connections = 4, .idle_timeout = 200ms, .message_deadline = 1h});
  std::vector<ip::tcp::socket> idle;
  for (int i = 0; i < 8; ++i) idle.push_back(connect());
  ASSERT_TRUE(wait_until([&] { return pool->tcp_stats().accepted.value() == 8; }));
  EXPECT_EQ(pool->tcp_stats().closed.value(TcpCloseReason::kOverCapacity), 4U);
  ASSERT_TRUE(wait_until([&] { return pool->tcp_stats().closed.value(TcpCloseReason::kIdle) == 4; }));

  ip::udp::socket udp(io, ip::udp::endpoint(ip::address_v4::loopback(), 0));
  udp.send_to(boost::asio::buffer(test::hex(test::kIpfixTemplateAndData)),
              ip::udp::endpoint(ip::address_v4::loopback(), pool->worker(0).local_endpoints().at(0).port()));
  auto exporter = connect();
  boost::asio::write(exporter, boost::asio::buffer(test::hex(test::kIpfixTemplateAndData)));
  ASSERT_TRUE(wait_until([&] { return flows() == 4; })) << flows();
  EXPECT_EQ(messages(), 1U);
}

}  // namespace
}  // namespace flowd
