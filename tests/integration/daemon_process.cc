#include "daemon_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace flowd::itest {
namespace {

std::runtime_error system_error(const std::string& what, int error_number) {
  return std::runtime_error(what + ": " + std::strerror(error_number));
}

ExitStatus status_from_wait(int status) {
  ExitStatus result;
  if (WIFEXITED(status)) {
    result.exited = true;
    result.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

// Owns the file actions that point the child's standard streams at files.
class StandardStreams {
 public:
  StandardStreams(const std::filesystem::path& stdout_path, const std::filesystem::path& stderr_path) {
    posix_spawn_file_actions_init(&actions_);
    constexpr int kOutputFlags = O_WRONLY | O_CREAT | O_TRUNC;
    posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions_, STDOUT_FILENO, stdout_path.c_str(), kOutputFlags, 0644);
    posix_spawn_file_actions_addopen(&actions_, STDERR_FILENO, stderr_path.c_str(), kOutputFlags, 0644);
  }
  ~StandardStreams() { posix_spawn_file_actions_destroy(&actions_); }
  StandardStreams(const StandardStreams&) = delete;
  StandardStreams& operator=(const StandardStreams&) = delete;

  [[nodiscard]] const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

uint16_t free_port(int socket_type) {
  const int fd = socket(AF_INET, socket_type, 0);
  if (fd < 0) {
    throw system_error("socket", errno);
  }
  sockaddr_in loopback_any_port{};
  loopback_any_port.sin_family = AF_INET;
  loopback_any_port.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // sockaddr and sockaddr_in are the same size, so a copy stands in for a cast.
  static_assert(sizeof(sockaddr) == sizeof(sockaddr_in));
  sockaddr address{};
  std::memcpy(&address, &loopback_any_port, sizeof(address));
  socklen_t length = sizeof(address);
  const bool bound = bind(fd, &address, sizeof(address)) == 0 && getsockname(fd, &address, &length) == 0;
  const int error_number = errno;
  close(fd);
  if (!bound) {
    throw system_error("bind to a free port", error_number);
  }
  sockaddr_in assigned{};
  std::memcpy(&assigned, &address, sizeof(assigned));
  return ntohs(assigned.sin_port);
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/flowd-itest-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw system_error("mkdtemp " + pattern, errno);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ExitStatus::describe() const {
  if (timed_out) {
    return "did not exit in time (killed)";
  }
  if (exited) {
    return "exited with code " + std::to_string(code);
  }
  return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, std::filesystem::path stdout_path,
                           std::filesystem::path stderr_path)
    : stdout_path_(std::move(stdout_path)), stderr_path_(std::move(stderr_path)) {
  if (argv.empty()) {
    throw std::invalid_argument("ChildProcess needs a program");
  }
  std::vector<char*> c_argv;
  c_argv.reserve(argv.size() + 1);
  for (const std::string& argument : argv) {
    c_argv.push_back(const_cast<char*>(argument.c_str()));
  }
  c_argv.push_back(nullptr);
  const StandardStreams streams(stdout_path_, stderr_path_);
  const int error_number =
      posix_spawn(&pid_, argv.front().c_str(), streams.get(), nullptr, c_argv.data(), environ);
  if (error_number != 0) {
    throw system_error("posix_spawn " + argv.front(), error_number);
  }
}

ChildProcess::~ChildProcess() {
  if (!has_exited()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string ChildProcess::stdout_text() const {
  return read_file(stdout_path_);
}
std::string ChildProcess::stderr_text() const {
  return read_file(stderr_path_);
}

void ChildProcess::send_signal(int signal_number) const {
  if (!has_exited()) {
    kill(pid_, signal_number);
  }
}

std::optional<ExitStatus> ChildProcess::try_reap() {
  if (exit_status_) {
    return exit_status_;
  }
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_status_ = status_from_wait(status);
  }
  return exit_status_;
}

ExitStatus ChildProcess::wait_for_exit(milliseconds timeout) {
  if (wait_until([this] { return try_reap().has_value(); }, timeout)) {
    return *exit_status_;
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_status_ = status_from_wait(status);
  exit_status_->timed_out = true;
  return *exit_status_;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

bool wait_for_file_containing(const std::filesystem::path& path, const std::string& needle,
                              milliseconds timeout) {
  return wait_until([&] { return read_file(path).find(needle) != std::string::npos; }, timeout);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

uint16_t free_udp_port() {
  return free_port(SOCK_DGRAM);
}
uint16_t free_tcp_port() {
  return free_port(SOCK_STREAM);
}

std::optional<std::filesystem::path> find_on_path(const std::string& program) {
  const char* path_variable = std::getenv("PATH");
  std::istringstream directories(path_variable != nullptr ? path_variable : "");
  for (std::string directory; std::getline(directories, directory, ':');) {
    const std::filesystem::path candidate =
        std::filesystem::path(directory.empty() ? "." : directory) / program;
    if (access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

bool send_udp(uint16_t port, const std::vector<std::vector<uint8_t>>& payloads, milliseconds gap) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = true;
  for (const auto& payload : payloads) {
    const ssize_t sent =
        sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    ok = ok && sent == static_cast<ssize_t>(payload.size());
    if (gap.count() > 0) std::this_thread::sleep_for(gap);
  }
  close(fd);
  return ok;
}

UdpSender::UdpSender(const std::string& source_address) {
  sockaddr_in from{};
  from.sin_family = AF_INET;
  if (inet_pton(AF_INET, source_address.c_str(), &from.sin_addr) != 1) return;
  fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ >= 0 && bind(fd_, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

UdpSender::~UdpSender() {
  if (fd_ >= 0) close(fd_);
}

bool UdpSender::send(uint16_t port, const std::vector<uint8_t>& payload) const {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const ssize_t sent =
      sendto(fd_, payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  return sent == static_cast<ssize_t>(payload.size());
}

// A GET over a real TCP connection; the whole response, or "" on failure.
std::string lab_config(const std::filesystem::path& dir, uint16_t udp_port, uint16_t metrics_port,
                       bool dry_run, const std::string& extra) {
  std::string config = "listen: [\"127.0.0.1:" + std::to_string(udp_port) + "\"]\n" +
                       "metrics: {listen: \"127.0.0.1:" + std::to_string(metrics_port) + "\"}\n" + extra;
  if (!dry_run) {
    write_file(dir / "token", "Bearer lab\n");
    config += "spool: {path: " + (dir / "spool").string() +
              "}\napi: {url: \"https://127.0.0.1:" + std::to_string(free_tcp_port()) +
              "/\", token_file: " + (dir / "token").string() + "}\n";
  }
  return config;
}

int connect_tcp(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string http_get(uint16_t port, const std::string& path) {
  const int fd = connect_tcp(port);
  if (fd < 0) return "";
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return "";
  }
  std::string response;
  char buf[4096];
  ssize_t n = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0) response.append(buf, static_cast<size_t>(n));
  close(fd);
  return response;
}

}  // namespace flowd::itest
