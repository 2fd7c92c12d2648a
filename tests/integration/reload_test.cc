// SIGHUP against the running binary: a reload renames a firewall without a
// restart, in each of its two workers, and an invalid file is rejected while
// the old config keeps working.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "daemon_process.h"
#include "decode/hex.h"
#include "decode/v5_vectors.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;

// The v5 vector's two flows: 192.168.10.5 → 198.51.100.1:443/tcp and a DNS reply.
constexpr size_t kRecordsPerDatagram = 2;
// After the reload, datagrams from this many source sockets: all of them on
// one of the two workers has odds of 2^-7.
constexpr size_t kSendersAfterReload = 8;

std::string config_text(uint16_t port, const std::string& firewall) {
  return "listen: [\"127.0.0.1:" + std::to_string(port) +
         "\"]\n"
         "receive_buffer: 1MiB\n"
         "workers: 2\n"
         "metrics: {listen: \"127.0.0.1:" +
         std::to_string(free_tcp_port()) +
         "\"}\n"
         "reduce: {window: 0}\n"
         "exporters:\n"
         "  list:\n"
         "    - {address: 127.0.0.1, name: " +
         firewall + "}\n";
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Reload, SighupRenamesTheFirewallAndRejectsABadFile) {
  TempDir dir;
  const uint16_t port = free_udp_port();
  const auto config = dir / "flowd.yaml";
  write_file(config, config_text(port, "fw-before"));
  ChildProcess daemon({FLOWD_BINARY, "--dry-run", "--config", config.string()}, dir / "out", dir / "err");
  ASSERT_TRUE(wait_for_file_containing(dir / "err", "listening on udp", 10s)) << daemon.stderr_text();

  ASSERT_TRUE(send_udp(port, {test::hex(test::kV5TwoRecords)}));
  ASSERT_TRUE(
      wait_until([&] { return count_of(daemon.stdout_text(), "\"firewall\":\"fw-before\"") == 2; }, 10s))
      << daemon.stdout_text();

  write_file(config, config_text(port, "fw-after"));
  daemon.send_signal(SIGHUP);
  ASSERT_TRUE(wait_for_file_containing(dir / "err", "reloaded", 10s)) << daemon.stderr_text();
  for (size_t i = 0; i < kSendersAfterReload; ++i)
    ASSERT_TRUE(send_udp(port, {test::hex(test::kV5TwoRecords)}));
  const size_t renamed = kSendersAfterReload * kRecordsPerDatagram;
  ASSERT_TRUE(
      wait_until([&] { return count_of(daemon.stdout_text(), "\"firewall\":\"fw-after\"") == renamed; }, 10s))
      << daemon.stdout_text();

  write_file(config, "exporters: {list: [{address: not-an-address, name: x}]}\n");
  daemon.send_signal(SIGHUP);
  ASSERT_TRUE(wait_for_file_containing(dir / "err", "reload rejected", 10s)) << daemon.stderr_text();
  EXPECT_NE(daemon.stderr_text().find("not-an-address"), std::string::npos) << daemon.stderr_text();
  ASSERT_TRUE(send_udp(port, {test::hex(test::kV5TwoRecords)}));
  ASSERT_TRUE(wait_until(
      [&] {
        return count_of(daemon.stdout_text(), "\"firewall\":\"fw-after\"") == renamed + kRecordsPerDatagram;
      },
      10s))
      << daemon.stdout_text();

  daemon.send_signal(SIGTERM);
  const ExitStatus status = daemon.wait_for_exit(10s);
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
  EXPECT_EQ(split_lines(daemon.stdout_text()).size(), (kSendersAfterReload + 2) * kRecordsPerDatagram);
  EXPECT_EQ(count_of(daemon.stdout_text(), "\"firewall\":\"fw-before\""), kRecordsPerDatagram);
}

}  // namespace
}  // namespace flowd::itest
