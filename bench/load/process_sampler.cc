#include "process_sampler.h"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace flowd::load {
namespace {

struct ProcStat {
  pid_t ppid = 0;
};

bool read_stat(pid_t pid, ProcStat& out) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  const size_t paren = line.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return false;
  std::istringstream fields(line.substr(paren + 2));
  std::vector<std::string> f;
  for (std::string word; fields >> word && f.size() < 2;) f.push_back(word);
  if (f.size() < 2) return false;
  out.ppid = static_cast<pid_t>(std::stol(f[1]));
  return true;
}

// The process and every descendant, found by walking /proc once.
std::vector<pid_t> process_tree(pid_t root) {
  std::vector<std::pair<pid_t, pid_t>> parents;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    ProcStat stat;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (read_stat(pid, stat)) parents.emplace_back(pid, stat.ppid);
  }
  std::vector<pid_t> tree{root};
  for (size_t i = 0; i < tree.size(); ++i) {
    for (const auto& [pid, ppid] : parents) {
      if (ppid == tree[i]) tree.push_back(pid);
    }
  }
  return tree;
}

// Nanoseconds on CPU of every thread of `pid` (/proc/PID/task/*/schedstat),
// where utime + stime come in 10 ms ticks: a 5 s round of a cheap receiver is
// only some 20 of them.
uint64_t run_ns(pid_t pid) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "schedstat");
    uint64_t ns = 0;
    if (in >> ns) total += ns;
  }
  return total;
}

uint64_t vm_hwm_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  }
  return 0;
}

bool receiver_address(const std::string& hex_address) {
  if (hex_address == "00000000" || hex_address == "0100007F") return true;  // 0.0.0.0, 127.0.0.1
  return hex_address == "00000000000000000000000000000000" ||               // ::
         hex_address == "0000000000000000FFFF00000100007F";                 // ::ffff:127.0.0.1
}

// Calls `f(drops)` for each receiver socket bound to `port`.
template <typename F>
void for_each_receiver_socket(uint16_t port, F f) {
  for (const char* path : {"/proc/net/udp", "/proc/net/udp6"}) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::vector<std::string> w;
      for (std::string word; fields >> word;) w.push_back(word);
      if (w.size() < 13) continue;
      const size_t colon = w[1].find(':');
      if (colon == std::string::npos) continue;
      if (std::stoul(w[1].substr(colon + 1), nullptr, 16) != port) continue;
      if (receiver_address(w[1].substr(0, colon))) f(std::stoull(w[12]));
    }
  }
}

}  // namespace

double ProcessSampler::cpu_seconds() const {
  uint64_t ns = 0;
  for (const pid_t pid : process_tree(root_)) ns += run_ns(pid);
  return static_cast<double>(ns) / 1e9;
}

uint64_t ProcessSampler::peak_rss_kib() const {
  uint64_t total = 0;
  for (const pid_t pid : process_tree(root_)) total += vm_hwm_kib(pid);
  return total;
}

uint64_t udp_socket_drops(uint16_t port) {
  uint64_t drops = 0;
  for_each_receiver_socket(port, [&](uint64_t d) { drops += d; });
  return drops;
}

bool udp_port_bound(uint16_t port) {
  bool bound = false;
  for_each_receiver_socket(port, [&](uint64_t) { bound = true; });
  return bound;
}

}  // namespace flowd::load
