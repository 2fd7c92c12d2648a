#include "receiver.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "process_sampler.h"

namespace flowd::load {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 15s;  // an ASan build starts slowly
constexpr auto kStopTimeout = 5s;
constexpr const char* kReceiveBuffer = "33554432";  // the same 32 MiB for every receiver

[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the load tool
  const int null_fd = open("/dev/null", O_RDWR);
  const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
  }
  if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(127);
}

bool exited(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

std::string_view to_string(ReceiverKind kind) {
  switch (kind) {
    case ReceiverKind::kFlowd: return "flowd";
    case ReceiverKind::kNfcapd: return "nfcapd";
    case ReceiverKind::kNfacctd: return "nfacctd";
  }
  return "?";
}

ReceiverProcess::ReceiverProcess(const ReceiverSpec& spec)
    : spec_(spec), log_file_(spec.work_dir / (std::string(to_string(spec.kind)) + ".log")) {
  const std::vector<std::string> argv = command();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) exec_child(argv, log_file_);
  wait_until_listening();
}

ReceiverProcess::~ReceiverProcess() { stop(); }

std::vector<std::string> ReceiverProcess::command() const {
  const std::string port = std::to_string(spec_.port);
  switch (spec_.kind) {
    case ReceiverKind::kFlowd: {
      const auto config = spec_.work_dir / "flowd.yaml";
      write_flowd_config(config);
      return {spec_.daemon_path, "--dry-run", "--config", config.string()};
    }
    case ReceiverKind::kNfcapd: {
      const auto dir = spec_.work_dir / "nfcapd";
      std::filesystem::create_directories(dir);
      return {"nfcapd", "-w", dir.string(), "-b", spec_.listen_address, "-p", port, "-B", kReceiveBuffer};
    }
    case ReceiverKind::kNfacctd: {
      const auto config = spec_.work_dir / "nfacctd.conf";
      write_nfacctd_config(config);
      return {"nfacctd", "-f", config.string()};
    }
  }
  return {};
}

void ReceiverProcess::write_flowd_config(const std::filesystem::path& file) const {
  std::ofstream out(file);
  out << "listen: [\"" << spec_.listen_address << ":" << spec_.port << "\"]\n"
      << "receive_buffer: 32MiB\n"
      << (spec_.workers ? "workers: " + std::to_string(*spec_.workers) + "\n" : "")
      << "spool: {path: \"" << (spec_.work_dir / "spool").string() << "\"}\n"
      << "templates: {persist: false}\n"
      << "metrics: {listen: \"127.0.0.1:" << spec_.metrics_port << "\"}\n"
      << "log: {level: warn}\n";
}

void ReceiverProcess::write_nfacctd_config(const std::filesystem::path& file) const {
  std::ofstream out(file);
  out << "daemonize: false\n"
      << "nfacctd_ip: " << spec_.listen_address << "\n"
      << "nfacctd_port: " << spec_.port << "\n"
      << "nfacctd_pipe_size: " << kReceiveBuffer << "\n"
      << "plugins: print\n"
      << "aggregate: src_host, dst_host, src_port, dst_port, proto\n"
      << "print_output: csv\n"
      << "print_output_file: " << (spec_.work_dir / "nfacctd.csv").string() << "\n"
      << "print_refresh_time: 60\n";
}

void ReceiverProcess::wait_until_listening() {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!udp_port_bound(spec_.port)) {
    if (exited(pid_)) {
      pid_ = -1;
      throw std::runtime_error(std::string(to_string(spec_.kind)) + " exited at start:\n" + log_tail());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      throw std::runtime_error(std::string(to_string(spec_.kind)) + " did not bind its port:\n" + log_tail());
    }
    std::this_thread::sleep_for(20ms);
  }
  std::this_thread::sleep_for(300ms);  // let it finish starting its threads and plugins
}

bool ReceiverProcess::stop() {
  if (pid_ <= 0) return false;
  const pid_t pid = std::exchange(pid_, -1);
  if (exited(pid)) return false;
  // pmacct flushes its plugins' caches on SIGINT.
  kill(pid, spec_.kind == ReceiverKind::kNfacctd ? SIGINT : SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (exited(pid)) return true;
    std::this_thread::sleep_for(20ms);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return true;
}

std::string ReceiverProcess::log_tail() const {
  std::ifstream in(log_file_);
  std::stringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace flowd::load
