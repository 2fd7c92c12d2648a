// `workers: 4` against the running binary: exporters spread over four
// receive threads on one port, one reduce memory for them all, and metrics
// that add the workers up.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>

#include "daemon_process.h"
#include "decode/hex.h"
#include "decode/v5_vectors.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;

constexpr size_t kWorkers = 4;
constexpr size_t kAddresses = 4;          // 127.0.1.1 .. 127.0.1.4, all named edge-fw
constexpr size_t kSocketsPerAddress = 4;  // distinct source ports
constexpr size_t kRounds = 5;             // datagrams per socket

std::string exporter_address(size_t i) {
  return "127.0.1." + std::to_string(i + 1);
}

std::string config_text(uint16_t udp_port, uint16_t metrics_port) {
  std::string text = "listen: [\"127.0.0.1:" + std::to_string(udp_port) + "\"]\n" +
                     "workers: " + std::to_string(kWorkers) + "\n" +
                     "metrics: {listen: \"127.0.0.1:" + std::to_string(metrics_port) + "\"}\n" +
                     "exporters:\n  list:\n";
  for (size_t i = 0; i < kAddresses; ++i)
    text += "    - {address: " + exporter_address(i) + ", name: edge-fw}\n";
  return text;
}

// The v5 vector with this exporter's flow sequence.
std::vector<uint8_t> v5_with_sequence(uint32_t sequence) {
  std::vector<uint8_t> bytes = test::hex(test::kV5TwoRecords);
  for (size_t i = 0; i < 4; ++i) bytes[16 + i] = static_cast<uint8_t>(sequence >> (24 - 8 * i));
  return bytes;
}

std::string metric_line(const std::string& name, const std::string& value) {
  return "onefirewall_flowd_" + name + " " + value + "\n";
}

// The value of a sample, or 0 when it is missing.
size_t metric_value(const std::string& metrics, const std::string& name) {
  const std::string prefix = "\nonefirewall_flowd_" + name + " ";
  const size_t at = metrics.find(prefix);
  return at == std::string::npos ? 0 : std::stoul(metrics.substr(at + prefix.size()));
}

TEST(Workers, ExportersSpreadOverFourWorkersShareOneReduceAndMetricsAddUp) {
  TempDir dir;
  const uint16_t udp_port = free_udp_port();
  const uint16_t metrics_port = free_tcp_port();
  write_file(dir / "flowd.yaml", config_text(udp_port, metrics_port));
  ChildProcess daemon({FLOWD_BINARY, "--dry-run", "--config", (dir / "flowd.yaml").string()}, dir / "out",
                      dir / "err");
  ASSERT_TRUE(wait_for_file_containing(dir / "err", "metrics on http://", 10s)) << daemon.stderr_text();
  EXPECT_NE(
      daemon.stderr_text().find("listening on udp 127.0.0.1:" + std::to_string(udp_port) + " (4 workers)"),
      std::string::npos)
      << daemon.stderr_text();

  std::vector<std::unique_ptr<UdpSender>> senders;
  for (size_t i = 0; i < kAddresses * kSocketsPerAddress; ++i) {
    senders.push_back(std::make_unique<UdpSender>(exporter_address(i % kAddresses)));
    ASSERT_TRUE(senders.back()->ok()) << "cannot bind " << exporter_address(i % kAddresses);
  }
  std::vector<uint32_t> sequence(kAddresses, 42);
  for (size_t round = 0; round < kRounds; ++round) {
    for (size_t i = 0; i < senders.size(); ++i) {
      ASSERT_TRUE(senders[i]->send(udp_port, v5_with_sequence(sequence[i % kAddresses])));
      sequence[i % kAddresses] += 2;
    }
  }

  const size_t datagrams = senders.size() * kRounds;
  std::string metrics;
  ASSERT_TRUE(wait_until(
      [&] {
        metrics = http_get(metrics_port, "/metrics");
        return metrics.find(metric_line("packets_received_total", std::to_string(datagrams))) !=
               std::string::npos;
      },
      10s))
      << metrics;
  EXPECT_NE(metrics.find(metric_line("workers", "4")), std::string::npos) << metrics;
  size_t busy_workers = 0, per_worker_sum = 0;
  for (size_t i = 0; i < kWorkers; ++i) {
    const size_t n =
        metric_value(metrics, "worker_packets_received_total{worker=\"" + std::to_string(i) + "\"}");
    busy_workers += n > 0;
    per_worker_sum += n;
  }
  EXPECT_EQ(per_worker_sum, datagrams) << metrics;
  EXPECT_GE(busy_workers, 2u) << "16 source sockets all hashed to one worker? " << metrics;
  for (size_t i = 0; i < kAddresses; ++i) {
    const std::string labels = "{exporter=\"" + exporter_address(i) + "\"}";
    EXPECT_NE(metrics.find(metric_line("exporter_packets_total" + labels,
                                       std::to_string(kSocketsPerAddress * kRounds))),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find(metric_line("exporter_flows_total" + labels,
                                       std::to_string(2 * kSocketsPerAddress * kRounds))),
              std::string::npos)
        << metrics;
  }
  EXPECT_NE(metrics.find(metric_line("flows_decoded_total", std::to_string(2 * datagrams))),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(metric_line("records_deduplicated_total", std::to_string(2 * datagrams - 2))),
            std::string::npos)
      << metrics;

  daemon.send_signal(SIGTERM);
  const ExitStatus status = daemon.wait_for_exit(10s);
  EXPECT_TRUE(status.exited && status.code == 0) << status.describe() << daemon.stderr_text();
  // The two conversations, once each, though every worker saw them.
  const auto lines = split_lines(daemon.stdout_text());
  ASSERT_EQ(lines.size(), 2u) << daemon.stdout_text();
  for (const auto& line : lines) EXPECT_NE(line.find(R"("firewall":"edge-fw")"), std::string::npos) << line;
}

// A worker that cannot write its records stops the whole daemon.
TEST(Workers, AStdoutThatFailsStopsTheDaemonWithARuntimeFailure) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  TempDir dir;
  const uint16_t udp_port = free_udp_port();
  write_file(dir / "flowd.yaml", config_text(udp_port, free_tcp_port()));
  ChildProcess daemon({FLOWD_BINARY, "--dry-run", "--config", (dir / "flowd.yaml").string()}, "/dev/full",
                      dir / "err");
  ASSERT_TRUE(wait_for_file_containing(dir / "err", "metrics on http://", 10s)) << daemon.stderr_text();
  UdpSender exporter(exporter_address(0));
  ASSERT_TRUE(exporter.send(udp_port, v5_with_sequence(42)));
  const ExitStatus status = daemon.wait_for_exit(10s);
  EXPECT_TRUE(status.exited && status.code == 2) << status.describe();
  EXPECT_NE(daemon.stderr_text().find("cannot write records to stdout; stopping"), std::string::npos)
      << daemon.stderr_text();
}

}  // namespace
}  // namespace flowd::itest
