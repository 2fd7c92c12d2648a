// End to end: real exporters read a capture this test writes and export it
// to the built daemon in --dry-run: softflowd as NetFlow v5, v9, IPFIX and
// IPFIX biflows, and pmacctd's nfprobe plugin as v9 and IPFIX. The test
// checks every JSON line the daemon prints.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "pcap_writer.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 10s;
constexpr auto kExporterTimeout = 30s;
constexpr auto kRecordsTimeout = 20s;
constexpr auto kStopTimeout = 10s;
// How long to keep listening once the expected number of records is in, so
// that records that should not be there have time to show up too.
constexpr auto kSettleTime = 300ms;
constexpr size_t kTcpPacketsPerConversation = 10;
constexpr size_t kUdpPacketsPerConversation = 2;

// One conversation in the capture and what the daemon must make of it.
struct Scenario {
  Conversation conversation;
  std::optional<std::string> direction;  // empty: out of scope, never reported
  std::string service;
};

Conversation tcp(const std::string& client, uint16_t client_port, const std::string& server,
                 uint16_t server_port) {
  return {Transport::kTcp, {parse_ipv4(client), client_port}, {parse_ipv4(server), server_port}};
}

Conversation udp(const std::string& client, uint16_t client_port, const std::string& server,
                 uint16_t server_port) {
  return {Transport::kUdp, {parse_ipv4(client), client_port}, {parse_ipv4(server), server_port}};
}

Scenario reported(Conversation conversation, std::string direction, std::string service) {
  return {conversation, std::move(direction), std::move(service)};
}

Scenario dropped(Conversation conversation) {
  return {conversation, std::nullopt, ""};
}

// The expectations are spelled out rather than derived, so that the test does
// not share a mistake with the daemon. softflowd exports each conversation as
// two one-way flows (or one biflow with -b); 18 conversations are 36 flows,
// more than one v5 datagram holds (30), so the export spans datagrams.
const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> all = {
      // Internal clients to services on the internet.
      reported(tcp("192.168.10.11", 40001, "198.51.100.10", 443), "outbound", "https"),
      reported(tcp("192.168.10.12", 40002, "198.51.100.11", 80), "outbound", "http"),
      reported(tcp("192.168.10.13", 40003, "203.0.113.22", 22), "outbound", "ssh"),
      reported(udp("192.168.10.14", 40004, "203.0.113.53", 53), "outbound", "domain"),
      reported(udp("192.168.10.15", 40005, "203.0.113.123", 123), "outbound", "ntp"),
      reported(tcp("192.168.10.16", 40006, "203.0.113.80", 443), "outbound", "https"),
      reported(udp("192.168.10.17", 40007, "198.51.100.53", 53), "outbound", "domain"),
      reported(udp("192.168.10.19", 40019, "203.0.113.19", 443), "outbound", "https"),
      // A named port above 1024 (rank 2) beats an unnamed client port (rank 3).
      reported(tcp("192.168.10.18", 40018, "198.51.100.18", 3389), "outbound", "ms-wbt-server"),
      // Both ports unnamed and above 1024: the lower one is the service.
      reported(tcp("192.168.10.9", 40123, "198.51.100.9", 8443), "outbound", "tcp/8443"),
      // Both ports below 1024: the lower one is the service.
      reported(tcp("192.168.10.21", 1022, "198.51.100.21", 443), "outbound", "https"),
      // Equal ports: the internal side is taken as the initiator.
      reported(udp("192.168.10.22", 123, "203.0.113.124", 123), "outbound", "ntp"),
      reported(udp("192.168.10.23", 500, "198.51.100.23", 500), "outbound", "isakmp"),
      // Clients on the internet to internal servers.
      reported(tcp("198.51.100.200", 51000, "192.168.10.5", 443), "inbound", "https"),
      reported(tcp("198.51.100.200", 51001, "192.168.10.5", 22), "inbound", "ssh"),
      reported(tcp("203.0.113.99", 52000, "192.168.10.6", 80), "inbound", "http"),
      // Not perimeter traffic: internal to internal, external to external.
      dropped(tcp("192.168.10.2", 40010, "10.1.1.1", 445)),
      dropped(tcp("198.51.100.7", 40011, "203.0.113.7", 443)),
  };
  return all;
}

std::string expected_line(const std::string& firewall, const Scenario& scenario) {
  const Conversation& c = scenario.conversation;
  return R"({"firewall":")" + firewall + R"(","direction":")" + *scenario.direction + R"(","src_ip":")" +
         format_ipv4(c.client.address) + R"(","dst_ip":")" + format_ipv4(c.server.address) +
         R"(","src_port":)" + std::to_string(c.client.port) + R"(,"dst_port":)" +
         std::to_string(c.server.port) + R"(,"service":")" + scenario.service + R"(","action":"Allow"})";
}

std::vector<std::string> expected_lines(const std::string& firewall) {
  std::vector<std::string> lines;
  for (const Scenario& scenario : scenarios()) {
    if (scenario.direction) {
      lines.push_back(expected_line(firewall, scenario));
    }
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

size_t packet_count(const std::vector<Scenario>& all) {
  size_t packets = 0;
  for (const Scenario& scenario : all) {
    packets += scenario.conversation.transport == Transport::kTcp ? kTcpPacketsPerConversation
                                                                  : kUdpPacketsPerConversation;
  }
  return packets;
}

// The conversations one after another, a second apart, ending shortly before
// now so that the flow times softflowd exports are plausible.
void write_capture(const std::filesystem::path& path) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  Timestamp start{static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count() - 120),
                  0};
  PcapWriter writer;
  for (const Scenario& scenario : scenarios()) {
    writer.add(conversation_packets(scenario.conversation, start));
    start = plus_micros(start, 1'000'000);
  }
  writer.write(path);
}

// The lines only in `actual` and only in `expected` (both sorted), so that a
// failure names the wrong records instead of dumping two long lists.
std::string difference_report(const std::vector<std::string>& actual,
                              const std::vector<std::string>& expected) {
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(unexpected));
  std::string report = "records expected but not printed:\n";
  for (const std::string& line : missing) {
    report += "  " + line + "\n";
  }
  report += "records printed but not expected:\n";
  for (const std::string& line : unexpected) {
    report += "  " + line + "\n";
  }
  return report;
}

// softflowd and pmacctd live in /usr/sbin, which is not on an unprivileged
// user's PATH on Debian, so the sbin directories are searched too.
std::optional<std::filesystem::path> find_program(const std::string& program) {
  if (auto on_path = find_on_path(program)) {
    return on_path;
  }
  for (const char* directory : {"/usr/local/sbin", "/usr/sbin", "/sbin"}) {
    const std::filesystem::path candidate = std::filesystem::path(directory) / program;
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

bool mentions_pair(const std::string& line, const Endpoint& a, const Endpoint& b) {
  const auto has = [&](const std::string& field, const Endpoint& endpoint) {
    return line.find("\"" + field + "\":\"" + format_ipv4(endpoint.address) + "\"") != std::string::npos;
  };
  return (has("src_ip", a) && has("dst_ip", b)) || (has("src_ip", b) && has("dst_ip", a));
}

// Which exporter, how it exports (softflowd's version flags, or pmacctd's
// nfprobe_version), and how many flows it sends per two-way conversation
// (two one-way flows, or one RFC 5103 biflow).
struct ExportMode {
  std::string name;
  std::string program;
  std::vector<std::string> flags;
  size_t flows_per_conversation;
};

std::ostream& operator<<(std::ostream& out, const ExportMode& mode) {
  return out << mode.name;
}

class RealExporterTest : public ::testing::TestWithParam<ExportMode> {
 protected:
  void SetUp() override {
    const std::string& program = GetParam().program;
    const auto found = find_program(program);
    if (!found) {
      GTEST_SKIP() << program << " is not installed (not on PATH nor in /usr/sbin; apt-get install "
                   << program << "): this end-to-end test did NOT run";
    }
    exporter_ = *found;
    capture_ = dir_ / "conversations.pcap";
    write_capture(capture_);
  }

  // Starts the daemon with `exporters_yaml`, lets softflowd export the
  // capture to it, stops it and keeps what it printed in `records_`.
  void export_capture_to_daemon(const std::string& exporters_yaml, size_t expected_records) {
    const uint16_t port = free_udp_port();
    const std::filesystem::path config = dir_ / "flowd.yaml";
    write_file(config, daemon_config(port, exporters_yaml));

    ChildProcess daemon({FLOWD_BINARY, "--dry-run", "--config", config.string()}, dir_ / "flowd.stdout",
                        dir_ / "flowd.stderr");
    ASSERT_TRUE(wait_for_file_containing(daemon.stderr_path(), "listening on udp", kStartTimeout))
        << "the daemon did not start listening; stderr:\n"
        << daemon.stderr_text();

    if (GetParam().program == "softflowd") {
      ASSERT_NO_FATAL_FAILURE(run_softflowd(port));
    } else {
      ASSERT_NO_FATAL_FAILURE(run_pmacctd(port));
    }

    const bool all_arrived = wait_until(
        [&] { return split_lines(daemon.stdout_text()).size() >= expected_records; }, kRecordsTimeout);
    std::this_thread::sleep_for(kSettleTime);
    daemon.send_signal(SIGTERM);
    const ExitStatus status = daemon.wait_for_exit(kStopTimeout);
    daemon_stderr_ = daemon.stderr_text();
    EXPECT_TRUE(status.exited && status.code == 0)
        << "SIGTERM should stop the daemon with exit 0, it " << status.describe() << "; stderr:\n"
        << daemon_stderr_;
    EXPECT_TRUE(all_arrived) << "fewer than " << expected_records << " records within "
                             << kRecordsTimeout.count() << " s; stderr:\n"
                             << daemon_stderr_;
    records_ = split_lines(daemon.stdout_text());
    std::sort(records_.begin(), records_.end());
  }

  void expect_out_of_scope_conversations_absent() const {
    for (const Scenario& scenario : scenarios()) {
      if (scenario.direction) {
        continue;
      }
      for (const std::string& line : records_) {
        EXPECT_FALSE(mentions_pair(line, scenario.conversation.client, scenario.conversation.server))
            << "out-of-scope conversation reported: " << line;
      }
    }
  }

  std::vector<std::string> records_;
  std::string daemon_stderr_;

 private:
  std::string daemon_config(uint16_t port, const std::string& exporters_yaml) const {
    // Metrics and spool are pointed into the scratch directory so that tests
    // running in parallel never share a port or a path.
    return "listen: [\"127.0.0.1:" + std::to_string(port) + "\"]\n" + "receive_buffer: 1MiB\n" +
           exporters_yaml + "spool: {path: \"" + (dir_ / "spool").string() + "\"}\n" +
           "metrics: {listen: \"127.0.0.1:" + std::to_string(free_tcp_port()) + "\"}\n" +
           "log: {level: info}\n";
  }

  // softflowd in -r mode stays in the foreground, turns off its control socket
  // and, at the end of the file, expires and exports every flow, then exits.
  // -c must NOT be given: it turns the control socket back on, and 1.1.0 then
  // blocks in accept() before reading a single packet. -a takes the flow times
  // from the capture instead of the wall clock. -p only matters when it
  // daemonises, and keeps the pid file out of /var/run if it ever does.
  void run_softflowd(uint16_t port) {
    std::vector<std::string> argv = {exporter_.string(),
                                     "-d",
                                     "-a",
                                     "-r",
                                     capture_.string(),
                                     "-n",
                                     "127.0.0.1:" + std::to_string(port),
                                     "-p",
                                     (dir_ / "softflowd.pid").string()};
    argv.insert(argv.end(), GetParam().flags.begin(), GetParam().flags.end());
    ChildProcess softflowd(argv, dir_ / "softflowd.stdout", dir_ / "softflowd.stderr");
    const ExitStatus status = softflowd.wait_for_exit(kExporterTimeout);
    const std::string report = softflowd.stdout_text() + softflowd.stderr_text();
    ASSERT_TRUE(status.exited && status.code == 0) << "softflowd " << status.describe() << ":\n" << report;

    const size_t records = GetParam().flows_per_conversation * scenarios().size();
    EXPECT_NE(report.find("Packets processed: " + std::to_string(packet_count(scenarios())) + "\n"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("Ignored packets: 0 "), std::string::npos) << report;
    EXPECT_NE(report.find("(" + std::to_string(records) + " records)"), std::string::npos) << report;
    EXPECT_NE(report.find("(0 failures)"), std::string::npos) << report;
  }

  // pmacctd reads the capture as a savefile, hands the packets to its nfprobe
  // plugin, and on reaching the end of the file flushes every flow and exits.
  void run_pmacctd(uint16_t port) {
    const auto config = dir_ / "pmacctd.conf";
    write_file(config,
               "daemonize: false\n"
               "pcap_savefile: " +
                   capture_.string() +
                   "\n"
                   "plugins: nfprobe\n"
                   "nfprobe_receiver: 127.0.0.1:" +
                   std::to_string(port) +
                   "\n"
                   "nfprobe_version: " +
                   GetParam().flags.front() + "\n");
    ChildProcess pmacctd({exporter_.string(), "-f", config.string()}, dir_ / "pmacctd.stdout",
                         dir_ / "pmacctd.stderr");
    const ExitStatus status = pmacctd.wait_for_exit(kExporterTimeout);
    const std::string report = pmacctd.stdout_text() + pmacctd.stderr_text();
    // On a loaded machine pmacctd's core may see its plugin, already asked to stop after the
    // flush, exit first and then exits 1 itself; what was exported is checked by the caller.
    const bool plugin_stopped_first = status.exited && status.code == 1 &&
                                      report.find("Shutting down on user request") != std::string::npos &&
                                      report.find("no more plugins active") != std::string::npos;
    ASSERT_TRUE(status.exited && (status.code == 0 || plugin_stopped_first))
        << "pmacctd " << status.describe() << ":\n"
        << report;
    EXPECT_NE(report.find("Exporting flows to [127.0.0.1]:" + std::to_string(port)), std::string::npos)
        << report;
  }

  TempDir dir_;
  std::filesystem::path exporter_;
  std::filesystem::path capture_;
};

TEST_P(RealExporterTest, ListedExporterEachConversationReportedOnceInitiatorFirst) {
  const std::string exporters =
      "exporters:\n"
      "  accept_unknown: true\n"
      "  list:\n"
      "    - {address: 127.0.0.1, name: lab-fw}\n";
  const std::vector<std::string> expected = expected_lines("lab-fw");

  ASSERT_NO_FATAL_FAILURE(export_capture_to_daemon(exporters, expected.size()));

  EXPECT_TRUE(records_ == expected) << difference_report(records_, expected) << "daemon stderr:\n"
                                    << daemon_stderr_;
  EXPECT_EQ(records_.size(), expected.size()) << "extra or missing records";
  expect_out_of_scope_conversations_absent();
}

TEST_P(RealExporterTest, UnlistedExporterIsNamedByItsAddress) {
  const std::string exporters =
      "exporters:\n"
      "  accept_unknown: true\n"
      "  list:\n"
      "    - {address: 192.0.2.1, name: other-fw}\n";
  const std::vector<std::string> expected = expected_lines("127.0.0.1");

  ASSERT_NO_FATAL_FAILURE(export_capture_to_daemon(exporters, expected.size()));

  EXPECT_TRUE(records_ == expected) << difference_report(records_, expected) << "daemon stderr:\n"
                                    << daemon_stderr_;
  EXPECT_EQ(records_.size(), expected.size()) << "extra or missing records";
  expect_out_of_scope_conversations_absent();
}

INSTANTIATE_TEST_SUITE_P(Exports, RealExporterTest,
                         ::testing::Values(ExportMode{"softflowd_v5", "softflowd", {"-v", "5"}, 2},
                                           ExportMode{"softflowd_v9", "softflowd", {"-v", "9"}, 2},
                                           ExportMode{"softflowd_ipfix", "softflowd", {"-v", "10"}, 2},
                                           ExportMode{
                                               "softflowd_ipfix_biflow", "softflowd", {"-v", "10", "-b"}, 1},
                                           ExportMode{"pmacctd_v9", "pmacctd", {"9"}, 2},
                                           ExportMode{"pmacctd_ipfix", "pmacctd", {"10"}, 2}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace flowd::itest
