// `replay` against the live daemon: the same datagrams give the same records,
// and --explain says why each flow became a record or was dropped.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon_process.h"
#include "decode/hex.h"
#include "decode/v5_vectors.h"
#include "onefirewall_flowd/capture/capture_reader.h"
#include "pcap_writer.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Every IPv4 exporter is one firewall, so live (from 127.0.0.1) and replay
// (from the capture's own addresses) name records alike.
constexpr const char* kExporters =
    "exporters:\n"
    "  list:\n"
    "    - {address: 0.0.0.0/0, name: lab}\n";

// A raw datagram file: the annotated v5 vector's bytes.
void write_v5_file(const fs::path& path) {
  const auto bytes = test::hex(test::kV5TwoRecords);
  write_file(path, std::string(bytes.begin(), bytes.end()));
}

std::vector<std::string> sorted_lines(const std::string& text) {
  auto lines = split_lines(text);
  std::sort(lines.begin(), lines.end());
  return lines;
}

struct Run {
  ExitStatus status;
  std::string out, err;
};

Run run_replay(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {FLOWD_BINARY, "replay"};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess replay(argv, dir / "replay.out", dir / "replay.err");
  const ExitStatus status = replay.wait_for_exit(60s);
  return {status, replay.stdout_text(), replay.stderr_text()};
}

std::vector<std::string> live_records(const TempDir& dir, const std::vector<CapturedDatagram>& datagrams,
                                      size_t expected) {
  const uint16_t port = free_udp_port();
  write_file(dir / "live.yaml", "listen: [\"127.0.0.1:" + std::to_string(port) + "\"]\n" +
                                    "metrics: {listen: \"127.0.0.1:" + std::to_string(free_tcp_port()) +
                                    "\"}\n" + kExporters);
  ChildProcess daemon({FLOWD_BINARY, "--dry-run", "--config", (dir / "live.yaml").string()}, dir / "live.out",
                      dir / "live.err");
  EXPECT_TRUE(wait_for_file_containing(dir / "live.err", "listening on udp", 10s)) << daemon.stderr_text();
  std::vector<std::vector<uint8_t>> payloads;
  for (const auto& d : datagrams) payloads.push_back(d.payload);
  EXPECT_TRUE(send_udp(port, payloads, 1ms));  // paced to stay within the receive buffer
  wait_until([&] { return split_lines(daemon.stdout_text()).size() >= expected; }, 10s);
  daemon.send_signal(SIGTERM);
  EXPECT_TRUE(daemon.wait_for_exit(10s).exited);
  return sorted_lines(daemon.stdout_text());
}

TEST(Replay, SameRecordsAsTheLiveDaemonForRealCaptures) {
  const fs::path captures = FLOWD_CAPTURES_DIR;
  if (!fs::exists(captures)) GTEST_SKIP() << "no captures at " << captures << ": replay-vs-live NOT tested";
  TempDir dir;
  write_file(dir / "replay.yaml", kExporters);
  size_t compared = 0;
  for (const char* name : {"scapy/netflowv9.pcap", "scapy/ipfix.pcap", "graylog-plugin-netflow/netflow5.pcap",
                           "graylog-plugin-netflow/netflow9.pcap"}) {
    const fs::path file = captures / name;
    if (!fs::exists(file)) continue;
    const auto replayed = run_replay(dir, {"--config", (dir / "replay.yaml").string(), file.string()});
    ASSERT_TRUE(replayed.status.exited && replayed.status.code == 0) << name << ": " << replayed.err;
    const auto expected = sorted_lines(replayed.out);
    const CaptureResult capture = read_capture(file, *IpAddress::parse("127.0.0.1"));
    ASSERT_TRUE(capture.error.empty()) << capture.error;
    EXPECT_EQ(live_records(dir, capture.datagrams, expected.size()), expected) << name;
    compared += expected.size();
  }
  EXPECT_GE(compared, 10u) << "the captures gave too few records to compare";
}

TEST(Replay, ExplainsRecordsAndDrops) {
  TempDir dir;
  write_v5_file(dir / "v5.dat");
  write_file(dir / "explain.yaml",
             "exporters:\n  list:\n    - {address: 192.0.2.1, name: edge-fw-1, "
             "internal_networks: [192.168.10.0/24]}\n");
  const auto r = run_replay(dir, {"--config", (dir / "explain.yaml").string(), "--explain", "--exporter",
                                  "192.0.2.1", (dir / "v5.dat").string()});
  ASSERT_TRUE(r.status.exited && r.status.code == 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(
      lines[0],
      R"({"firewall":"edge-fw-1","direction":"outbound","src_ip":"192.168.10.5","dst_ip":"198.51.100.1",)"
      R"("src_port":40000,"dst_port":443,"service":"https","action":"Allow"})");
  EXPECT_NE(r.out.find("#   firewall:    edge-fw-1 (exporters.list[0])"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("#   direction:   outbound (source 192.168.10.5 is in internal_networks)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("#   action:      Allow (default_action)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("#   service:     https (IANA name of responder port 443)"), std::string::npos)
      << r.out;
  // The DNS reply is turned around into its query.
  EXPECT_NE(r.out.find("#   orientation: reply flow turned around"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("#   vrf:"), std::string::npos) << "v5 flows carry no VRF ids\n" << r.out;
}

TEST(Replay, ExplainNamesTheInterfacesACiscoInterfaceTableAnnounced) {
  const fs::path capture =
      fs::path(FLOWD_CAPTURES_DIR) / "pmacct/500-IPFIXv10-BGP-CISCO-SRv6/traffic-00.pcap";
  if (!fs::exists(capture)) GTEST_SKIP() << "no capture at " << capture << ": interface names NOT tested";
  TempDir dir;
  // IOS XR announces 69 as TenGigE0_0_0_0.516 and 42 as TenGigE0_0_0_0 (options template 256).
  write_file(dir / "names.yaml",
             "exporters:\n  list:\n    - {address: 198.51.100.54, name: xr, "
             "outside_interfaces: [TenGigE0_0_0_0.516]}\n");
  const auto r = run_replay(dir, {"--config", (dir / "names.yaml").string(), "--explain", capture.string()});
  ASSERT_TRUE(r.status.exited && r.status.code == 0) << r.err;
  EXPECT_NE(r.out.find("#   direction:   inbound (outside_interfaces: in 69 (TenGigE0_0_0_0.516) is outside, "
                       "out 42 (TenGigE0_0_0_0) is inside)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("#   direction:   outbound (outside_interfaces: in 42 (TenGigE0_0_0_0) is inside, "
                       "out 69 (TenGigE0_0_0_0.516) is outside)"),
            std::string::npos)
      << r.out;
}

// pmacct's test 112: the options data re-sent in the capture moves the name
// of VRF 1610612740 from A2_TEST_1 to A2_TEST_0 between two of its flows
// (as in nfacctd's golden output). Reduce is off so every flow is explained.
TEST(Replay, ExplainNamesTheVrfsOptionsDataAnnouncedAsTheyWereThen) {
  const fs::path capture =
      fs::path(FLOWD_CAPTURES_DIR) / "pmacct/112-IPFIXv10-CISCO-options-map-reassignment/traffic-00.pcap";
  if (!fs::exists(capture)) GTEST_SKIP() << "no capture at " << capture << ": VRF names NOT tested";
  TempDir dir;
  write_file(dir / "vrfs.yaml",
             "reduce: {window: 0}\n"
             "exporters:\n  defaults: {internal_networks: [169.254.0.1/32]}\n");
  const auto r = run_replay(dir, {"--config", (dir / "vrfs.yaml").string(), "--explain", capture.string()});
  ASSERT_TRUE(r.status.exited && r.status.code == 0) << r.err;
  const size_t first = r.out.find("#   vrf:         in 1610612740 (A2_TEST_1), out 0\n");
  const size_t renamed = r.out.find("#   vrf:         in 1610612740 (A2_TEST_0), out 0\n");
  ASSERT_NE(first, std::string::npos) << r.out;
  ASSERT_NE(renamed, std::string::npos) << r.out;
  EXPECT_LT(first, renamed) << r.out;
  EXPECT_NE(r.out.find("#   vrf:         in 1610612748 (A2_TEST_9), out 0\n"), std::string::npos) << r.out;
  // The line follows the direction line of its record.
  EXPECT_NE(r.out.find("internal_networks)\n#   vrf:         in 1610612743 (A2_TEST_4), out 0\n#   action:"),
            std::string::npos)
      << r.out;
}

TEST(Replay, ReportsDropsWithTheirReason) {
  TempDir dir;
  write_v5_file(dir / "v5.dat");
  write_file(dir / "all-internal.yaml", "exporters:\n  defaults: {internal_networks: [0.0.0.0/0]}\n");
  const auto r = run_replay(
      dir, {"--config", (dir / "all-internal.yaml").string(), "--explain", (dir / "v5.dat").string()});
  ASSERT_TRUE(r.status.exited && r.status.code == 0) << r.err;
  EXPECT_NE(r.out.find("# dropped 192.168.10.5:40000 -> 198.51.100.1:443 proto 6 from exporter 0.0.0.0 "
                       "domain 258: internal_to_internal"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("{\"firewall\""), std::string::npos) << r.out;
}

TEST(Replay, UnreadableCaptureIsARuntimeFailure) {
  TempDir dir;
  const auto r = run_replay(dir, {(dir / "missing.pcap").string()});
  EXPECT_TRUE(r.status.exited && r.status.code == 2) << r.status.describe();
  EXPECT_NE(r.err.find("missing.pcap"), std::string::npos) << r.err;
}

// A capture of `count` v5 datagrams from 192.0.2.1 to port 2055, behind Ethernet.
std::vector<uint8_t> v5_capture(uint32_t count, bool with_tcp = false) {
  PcapWriter writer;
  for (uint32_t i = 0; i < count; ++i) {
    Packet packet;
    packet.time = {1'700'000'000, i};
    packet.transport = Transport::kUdp;
    packet.source = {{192, 0, 2, 1}, 40000};
    packet.destination = {{192, 0, 2, 2}, 2055};
    packet.payload = test::hex(test::kV5TwoRecords);
    writer.add(packet);
  }
  if (with_tcp) {
    Packet tcp;
    tcp.source = {{192, 0, 2, 1}, 40000};
    tcp.destination = {{192, 0, 2, 2}, 179};
    writer.add(tcp);
  }
  return writer.file_bytes();
}

void write_bytes(const fs::path& path, const std::vector<uint8_t>& bytes) {
  write_file(path, std::string(bytes.begin(), bytes.end()));
}

TEST(Replay, TruncatedCaptureReplaysWhatItCanAndFails) {
  TempDir dir;
  auto bytes = v5_capture(3);
  bytes.resize(bytes.size() - 10);  // the last frame cut short
  write_bytes(dir / "cut.pcap", bytes);
  const auto r = run_replay(dir, {(dir / "cut.pcap").string()});
  EXPECT_TRUE(r.status.exited && r.status.code == 2) << r.status.describe();
  EXPECT_NE(r.err.find("cut.pcap: read error after 2 frames: truncated dump file"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("replay: 2 datagrams"), std::string::npos) << r.err;
}

TEST(Replay, UnsupportedLinkTypeFailsAndSaysSo) {
  TempDir dir;
  auto bytes = v5_capture(1);
  bytes[20] = 105;  // the header's link type: IEEE 802.11
  write_bytes(dir / "wifi.pcap", bytes);
  const auto r = run_replay(dir, {(dir / "wifi.pcap").string()});
  EXPECT_TRUE(r.status.exited && r.status.code == 2) << r.status.describe();
  EXPECT_NE(r.err.find("wifi.pcap: link type 105 (IEEE802_11) is not supported"), std::string::npos) << r.err;
}

TEST(Replay, ImpossibleCaptureLengthFailsAndSaysSo) {
  TempDir dir;
  auto bytes = v5_capture(1);
  std::fill(bytes.begin() + 24 + 8, bytes.begin() + 24 + 12, uint8_t{0xff});  // the record's caplen
  write_bytes(dir / "caplen.pcap", bytes);
  const auto r = run_replay(dir, {(dir / "caplen.pcap").string()});
  EXPECT_TRUE(r.status.exited && r.status.code == 2) << r.status.describe();
  EXPECT_NE(r.err.find("caplen.pcap: read error after 0 frames: invalid packet capture length 4294967295"),
            std::string::npos)
      << r.err;
}

TEST(Replay, SkippedFramesAreCountedOnStderr) {
  TempDir dir;
  write_bytes(dir / "mixed.pcap", v5_capture(2, true));
  const auto r = run_replay(dir, {(dir / "mixed.pcap").string()});
  EXPECT_TRUE(r.status.exited && r.status.code == 0) << r.status.describe() << r.err;
  EXPECT_NE(r.err.find("mixed.pcap: 1 frame skipped (not unfragmented UDP over IPv4 or IPv6)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("replay: 2 datagrams"), std::string::npos) << r.err;
}

TEST(Replay, PrintsNoProgressWhenStderrIsNotATerminal) {
  TempDir dir;
  write_bytes(dir / "big.pcap", v5_capture(2000));
  const auto r = run_replay(dir, {(dir / "big.pcap").string()});
  EXPECT_TRUE(r.status.exited && r.status.code == 0) << r.status.describe() << r.err;
  EXPECT_EQ(
      r.err,
      "replay: 2000 datagrams, 4000 flows, 0 decode errors, 4000 records, 0 out of scope, 3998 reduced\n");
}

struct TerminalRun {
  int exit_code = -1;
  std::string terminal;  // all the child wrote to its terminal
};

// Runs replay with a pseudo-terminal as stdin and stderr, and as stdout too
// unless `records` names a file for it, as `replay x.pcap > records.json` does.
TerminalRun run_replay_on_terminal(const std::vector<std::string>& args, const fs::path& records = {}) {
  std::vector<std::string> argv_text = {FLOWD_BINARY, "replay"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int records_fd = records.empty() ? -1 : ::open(records.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int terminal = -1;
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid == 0) {
    if (records_fd >= 0) ::dup2(records_fd, STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (records_fd >= 0) ::close(records_fd);
  TerminalRun run;
  if (pid < 0) return run;
  std::array<char, 4096> buf;
  pollfd readable{terminal, POLLIN, 0};
  // The terminal reads EIO once the child has exited and closed its side.
  while (::poll(&readable, 1, 60'000) == 1) {
    const ssize_t n = ::read(terminal, buf.data(), buf.size());
    if (n <= 0) break;
    run.terminal.append(buf.data(), static_cast<size_t>(n));
  }
  ::close(terminal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(Replay, ShowsProgressOnATerminalAndErasesIt) {
  TempDir dir;
  write_bytes(dir / "big.pcap", v5_capture(2000));
  const auto r = run_replay_on_terminal({(dir / "big.pcap").string()}, dir / "records.json");
  EXPECT_EQ(r.exit_code, 0) << r.terminal;
  // The first update comes with the first datagram; the line is erased before the summary.
  EXPECT_NE(
      r.terminal.find("\r" + (dir / "big.pcap").string() + ": 0.0 / 0.3 MiB, 1 datagrams, 2 records\x1b[K"),
      std::string::npos)
      << r.terminal;
  EXPECT_NE(r.terminal.find("\r\x1b[Kreplay: 2000 datagrams, 4000 flows"), std::string::npos) << r.terminal;
  EXPECT_EQ(split_lines(read_file(dir / "records.json")).size(), 2u);
}

TEST(Replay, ShowsNoProgressWhenRecordsGoToTheTerminalToo) {
  TempDir dir;
  write_bytes(dir / "big.pcap", v5_capture(2000));
  const auto r = run_replay_on_terminal({(dir / "big.pcap").string()});
  EXPECT_EQ(r.exit_code, 0) << r.terminal;
  EXPECT_EQ(r.terminal.find(" MiB, "), std::string::npos) << r.terminal;
  EXPECT_NE(r.terminal.find("replay: 2000 datagrams"), std::string::npos) << r.terminal;
}

TEST(Replay, NeedsACapture) {
  TempDir dir;
  const auto r = run_replay(dir, {"--explain"});
  EXPECT_TRUE(r.status.exited && r.status.code == 1) << r.status.describe();
  EXPECT_NE(r.err.find("replay needs at least one capture file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace flowd::itest
