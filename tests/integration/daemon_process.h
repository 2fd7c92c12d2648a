#pragma once

// Helpers for tests that run real programs: a child process with its output in
// files, a scratch directory, free loopback ports and polling waits.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wait_until.h"

namespace flowd::itest {

using std::chrono::milliseconds;

// A fresh directory under $TMPDIR (or /tmp), removed with all its contents on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// How a child ended.
struct ExitStatus {
  bool exited = false;  // normal exit; `code` is valid
  int code = -1;
  int signal = 0;          // the signal that ended it, when !exited
  bool timed_out = false;  // it did not stop in time and was killed with SIGKILL

  [[nodiscard]] std::string describe() const;
};

// A running child whose stdin is /dev/null and whose stdout and stderr go to
// files. A child still running on destruction is killed with SIGKILL.
class ChildProcess {
 public:
  // argv[0] is the program's path. Throws std::runtime_error when it cannot start.
  ChildProcess(const std::vector<std::string>& argv, std::filesystem::path stdout_path,
               std::filesystem::path stderr_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::filesystem::path& stdout_path() const { return stdout_path_; }
  [[nodiscard]] const std::filesystem::path& stderr_path() const { return stderr_path_; }
  [[nodiscard]] std::string stdout_text() const;
  [[nodiscard]] std::string stderr_text() const;

  void send_signal(int signal_number) const;
  // Waits for the child to end; after `timeout` kills it with SIGKILL and
  // reports timed_out.
  ExitStatus wait_for_exit(milliseconds timeout);
  [[nodiscard]] bool has_exited() const { return exit_status_.has_value(); }

 private:
  std::optional<ExitStatus> try_reap();

  pid_t pid_ = -1;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
  std::optional<ExitStatus> exit_status_;
};

// The whole file, or "" when it cannot be read.
[[nodiscard]] std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
using test::wait_until;
bool wait_for_file_containing(const std::filesystem::path& path, const std::string& needle,
                              milliseconds timeout);

// The non-empty lines of text.
[[nodiscard]] std::vector<std::string> split_lines(const std::string& text);

// A port on 127.0.0.1 that was free a moment ago (bound to port 0 and released).
[[nodiscard]] uint16_t free_udp_port();
[[nodiscard]] uint16_t free_tcp_port();

// A daemon config listening on udp_port with metrics on metrics_port, with
// `extra` YAML after those lines. Unless dry_run, it delivers with a token file
// in dir to an API port that refuses connections, so that records wait.
[[nodiscard]] std::string lab_config(const std::filesystem::path& dir, uint16_t udp_port,
                                     uint16_t metrics_port, bool dry_run, const std::string& extra = "");

// A blocking TCP connection to 127.0.0.1:port, or -1.
[[nodiscard]] int connect_tcp(uint16_t port);

// A GET to 127.0.0.1:port over a real TCP connection: the whole response, or
// "" when the connection fails.
[[nodiscard]] std::string http_get(uint16_t port, const std::string& path);

// Sends each payload as one datagram to 127.0.0.1:port, pausing `gap` between
// them; false when a send fails.
bool send_udp(uint16_t port, const std::vector<std::vector<uint8_t>>& payloads,
              milliseconds gap = milliseconds(0));

// A UDP socket bound to one source address with a port the kernel picks, and
// that keeps it, as a real exporter does: the daemon's workers hash the
// source address and port, so its datagrams all reach one worker.
class UdpSender {
 public:
  // Any 127.x.y.z works as the source on Linux loopback.
  explicit UdpSender(const std::string& source_address = "127.0.0.1");
  ~UdpSender();
  UdpSender(const UdpSender&) = delete;
  UdpSender& operator=(const UdpSender&) = delete;

  [[nodiscard]] bool ok() const { return fd_ >= 0; }
  // Sends one datagram to 127.0.0.1:port; false when the send fails.
  bool send(uint16_t port, const std::vector<uint8_t>& payload) const;

 private:
  int fd_ = -1;
};

// The full path of an executable found on $PATH, if any.
[[nodiscard]] std::optional<std::filesystem::path> find_on_path(const std::string& program);

}  // namespace flowd::itest
