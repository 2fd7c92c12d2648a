// IPFIX over TCP into a live daemon: listen_tcp binds, an exporter's
// template and data decode, and the connection counts reach /metrics.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>

#include "daemon_process.h"
#include "decode/ipfix_vectors.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;

bool metric_is(uint16_t metrics_port, const std::string& sample) {
  return http_get(metrics_port, "/metrics").find("\nonefirewall_flowd_" + sample + "\n") != std::string::npos;
}

TEST(IpfixOverTcp, ALiveDaemonDecodesAnExportersTemplateAndDataAndCountsTheClose) {
  TempDir dir;
  const uint16_t metrics_port = free_tcp_port();
  const uint16_t tcp_port = free_tcp_port();
  write_file(dir / "flowd.yaml",
             lab_config(dir.path(), free_udp_port(), metrics_port, true,
                        "listen_tcp: [\"127.0.0.1:" + std::to_string(tcp_port) + "\"]\n"));
  ChildProcess daemon({FLOWD_BINARY, "--config", (dir / "flowd.yaml").string(), "--dry-run"}, dir / "out",
                      dir / "err");
  ASSERT_TRUE(wait_for_file_containing(dir / "err", "metrics on http://", 10s)) << daemon.stderr_text();
  EXPECT_NE(daemon.stderr_text().find("listening on tcp 127.0.0.1:" + std::to_string(tcp_port)),
            std::string::npos)
      << daemon.stderr_text();

  const int exporter = connect_tcp(tcp_port);
  ASSERT_GE(exporter, 0);
  const std::vector<uint8_t> message = test::hex(test::kIpfixTemplateAndData);
  ASSERT_EQ(write(exporter, message.data(), message.size()), static_cast<ssize_t>(message.size()));
  EXPECT_TRUE(wait_until([&] { return metric_is(metrics_port, "flows_decoded_total 2"); }, 10s));
  EXPECT_TRUE(metric_is(metrics_port, "tcp_connections 1"));
  const char garbage[] = "not IPFIX at all";
  ASSERT_EQ(write(exporter, garbage, sizeof garbage), static_cast<ssize_t>(sizeof garbage));
  EXPECT_TRUE(wait_until(
      [&] { return metric_is(metrics_port, R"(tcp_connections_closed_total{reason="bad_version"} 1)"); },
      10s));
  EXPECT_TRUE(metric_is(metrics_port, "tcp_connections 0"));
  close(exporter);

  daemon.send_signal(SIGTERM);
  EXPECT_TRUE(daemon.wait_for_exit(10s).exited);
}

// python3-ipfix is an encoder that is not ours: its options data names the
// interfaces, and the names decide the direction of flows that the addresses
// (one network on both ends) cannot.
TEST(IpfixOverTcp, InterfaceNamesAnnouncedOnTheConnectionDecideTheDirection) {
  if (std::system("/usr/bin/python3 -c 'import ipfix' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-ipfix is not installed (apt-get install python3-ipfix): NOT tested";
  }
  TempDir dir;
  const uint16_t tcp_port = free_tcp_port();
  write_file(dir / "flowd.yaml",
             lab_config(dir.path(), free_udp_port(), free_tcp_port(), true,
                        "listen_tcp: [\"127.0.0.1:" + std::to_string(tcp_port) + "\"]\n" +
                            "exporters:\n  list:\n    - {address: 127.0.0.1, name: lab-fw, "
                            "outside_interfaces: [outside], internal_networks: [10.0.0.0/8]}\n"));
  ChildProcess daemon({FLOWD_BINARY, "--config", (dir / "flowd.yaml").string(), "--dry-run"}, dir / "out",
                      dir / "err");
  ASSERT_TRUE(wait_for_file_containing(dir / "err", "running", 10s)) << daemon.stderr_text();
  ChildProcess exporter({"/usr/bin/python3", FLOWD_SOURCE_DIR "/tests/integration/ipfix_tcp_exporter.py",
                         std::to_string(tcp_port), "2"},
                        dir / "exporter.out", dir / "exporter.err");
  const auto exported = exporter.wait_for_exit(20s);
  ASSERT_TRUE(exported.exited && exported.code == 0) << exported.describe() << read_file(dir / "exporter.err");
  EXPECT_TRUE(wait_until([&] { return split_lines(daemon.stdout_text()).size() == 2; }, 10s))
      << daemon.stdout_text() << daemon.stderr_text();
  daemon.send_signal(SIGTERM);
  EXPECT_TRUE(daemon.wait_for_exit(10s).exited);
  const std::string records = daemon.stdout_text();
  EXPECT_NE(records.find(R"("direction":"inbound","src_ip":"10.9.9.9","dst_ip":"10.0.0.5")"), std::string::npos)
      << records;
  EXPECT_NE(records.find(R"("direction":"outbound","src_ip":"10.0.0.5","dst_ip":"10.9.9.9")"), std::string::npos)
      << records;
}

}  // namespace
}  // namespace flowd::itest
