// The running daemon as an operator sees it: Prometheus metrics and /healthz
// that follow real traffic, and systemd notifications over $NOTIFY_SOCKET.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "decode/hex.h"
#include "decode/v5_vectors.h"

namespace flowd::itest {
namespace {

using namespace std::chrono_literals;

struct RunningDaemon {
  TempDir dir;
  uint16_t udp_port = free_udp_port();
  uint16_t metrics_port = free_tcp_port();
  std::unique_ptr<ChildProcess> process;

  // In --dry-run, or delivering to an API that refuses connections, so that records wait.
  void start(bool dry_run = true) {
    const std::string config = lab_config(dir.path(), udp_port, metrics_port, dry_run,
                                          "exporters: {list: [{address: 127.0.0.1, name: lab-fw}]}\n");
    write_file(dir / "flowd.yaml", config);
    std::vector<std::string> argv{FLOWD_BINARY, "--config", (dir / "flowd.yaml").string()};
    if (dry_run) argv.push_back("--dry-run");
    process = std::make_unique<ChildProcess>(argv, dir / "out", dir / "err");
    ASSERT_TRUE(wait_for_file_containing(dir / "err", "metrics on http://", 10s)) << process->stderr_text();
  }
  void stop() {
    process->send_signal(SIGTERM);
    const auto status = process->wait_for_exit(10s);
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
  }
};

TEST(Operations, MetricsFollowRealTraffic) {
  RunningDaemon d;
  d.start();
  std::string before = http_get(d.metrics_port, "/metrics");
  ASSERT_EQ(before.rfind("HTTP/1.1 200 OK", 0), 0u) << before;
  EXPECT_NE(before.find("onefirewall_flowd_packets_received_total 0\n"), std::string::npos) << before;

  const auto v5 = test::hex(test::kV5TwoRecords);
  ASSERT_TRUE(send_udp(d.udp_port, {v5, v5}));
  ASSERT_TRUE(wait_until([&] { return split_lines(d.process->stdout_text()).size() == 2; }, 10s));
  // The first datagram prints both records; wait until the second, all duplicates, is counted too.
  std::string after;
  ASSERT_TRUE(wait_until(
      [&] {
        after = http_get(d.metrics_port, "/metrics");
        return after.find("onefirewall_flowd_packets_received_total 2\n") != std::string::npos;
      },
      10s))
      << after;
  for (const char* line : {
           "onefirewall_flowd_packets_received_total 2\n",
           "onefirewall_flowd_flows_decoded_total 4\n",
           "onefirewall_flowd_exporter_packets_total{exporter=\"127.0.0.1\"} 2\n",
           "onefirewall_flowd_exporter_flows_total{exporter=\"127.0.0.1\"} 4\n",
           "onefirewall_flowd_records_total 4\n",
           "onefirewall_flowd_records_deduplicated_total 2\n",
           "onefirewall_flowd_records_written_total 2\n",
           "onefirewall_flowd_decode_errors_total{reason=\"v5_truncated\"} 0\n",
           "onefirewall_flowd_records_out_of_scope_total{reason=\"internal_to_internal\"} 0\n",
       }) {
    EXPECT_NE(after.find(line), std::string::npos) << "missing " << line << after;
  }

  const std::string health = http_get(d.metrics_port, "/healthz");
  EXPECT_EQ(health.rfind("HTTP/1.1 200 OK", 0), 0u) << health;
  EXPECT_NE(health.find("\"status\":\"ok\""), std::string::npos) << health;
  d.stop();
}

TEST(Operations, BusyMetricsPortIsARuntimeFailure) {
  TempDir dir;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  write_file(dir / "flowd.yaml", "listen: [\"127.0.0.1:" + std::to_string(free_udp_port()) + "\"]\n" +
                                     "metrics: {listen: \"127.0.0.1:" + port + "\"}\n");
  ChildProcess daemon({FLOWD_BINARY, "--dry-run", "--config", (dir / "flowd.yaml").string()}, dir / "out",
                      dir / "err");
  const auto status = daemon.wait_for_exit(10s);
  close(fd);
  EXPECT_TRUE(status.exited && status.code == 2) << status.describe();
  EXPECT_NE(daemon.stderr_text().find("metrics: cannot listen on 127.0.0.1 port " + port), std::string::npos)
      << daemon.stderr_text();
}

// A stand-in for systemd's notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.string().copy(addr.sun_path, sizeof addr.sun_path - 1);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~NotifySocket() { close(fd_); }
  [[nodiscard]] bool bound() const { return bound_; }

  // Everything received within the timeout, messages joined by '|'.
  std::string receive_until(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (all_.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      char buf[512];
      const ssize_t n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        all_.append(buf, static_cast<size_t>(n));
        all_ += '|';
      } else {
        std::this_thread::sleep_for(5ms);
      }
    }
    return all_;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool bound_ = false;
  std::string all_;
};

TEST(Operations, NotifiesSystemdReadyStatusWatchdogAndStopping) {
  RunningDaemon d;
  NotifySocket notify(d.dir / "notify.sock");
  ASSERT_TRUE(notify.bound());
  ::setenv("NOTIFY_SOCKET", (d.dir / "notify.sock").c_str(), 1);
  ::setenv("WATCHDOG_USEC", "2000000", 1);
  d.start();
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");

  std::string seen = notify.receive_until("READY=1", 10s);
  EXPECT_NE(seen.find("READY=1"), std::string::npos) << seen;
  seen = notify.receive_until("STATUS=", 10s);
  EXPECT_NE(seen.find("flows/s, delivered 0"), std::string::npos) << seen;
  seen = notify.receive_until("WATCHDOG=1", 10s);
  EXPECT_NE(seen.find("WATCHDOG=1"), std::string::npos) << seen;
  d.process->send_signal(SIGTERM);
  seen = notify.receive_until("STOPPING=1", 10s);
  EXPECT_NE(seen.find("STOPPING=1"), std::string::npos) << seen;
  EXPECT_TRUE(d.process->wait_for_exit(10s).exited);
}

// The STATUS line shows the backlog while the API cannot be reached.
TEST(Operations, StatusShowsTheBacklogAndItsAge) {
  RunningDaemon d;
  NotifySocket notify(d.dir / "notify.sock");
  ASSERT_TRUE(notify.bound());
  ::setenv("NOTIFY_SOCKET", (d.dir / "notify.sock").c_str(), 1);
  d.start(false);
  ::unsetenv("NOTIFY_SOCKET");
  ASSERT_TRUE(send_udp(d.udp_port, {test::hex(test::kV5TwoRecords)}));
  // 198.51.100.1 and 198.51.100.53: the two external hosts.
  const std::string seen = notify.receive_until("backlog 2 records of 2 hosts, oldest ", 15s);
  EXPECT_NE(seen.find("flows/s, backlog 2 records of 2 hosts, oldest "), std::string::npos) << seen;
  d.process->send_signal(SIGTERM);
  EXPECT_TRUE(d.process->wait_for_exit(10s).exited);
  EXPECT_NE(d.process->stderr_text().find("backlog 2 records of 2 hosts"), std::string::npos)
      << d.process->stderr_text();
}

}  // namespace
}  // namespace flowd::itest
