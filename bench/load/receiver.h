// The receiver under test: our daemon in --dry-run, nfcapd or nfacctd, run as a child.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowd::load {

enum class ReceiverKind { kFlowd, kNfcapd, kNfacctd };

std::string_view to_string(ReceiverKind kind);

struct ReceiverSpec {
  ReceiverKind kind = ReceiverKind::kFlowd;
  std::string daemon_path;  // our binary
  std::string listen_address;
  uint16_t port = 0;
  uint16_t metrics_port = 0;  // ours only
  std::optional<uint32_t> workers;  // ours only; unset: the daemon's default
  std::filesystem::path work_dir;  // configs, logs and the peers' output go here
};

class ReceiverProcess {
 public:
  // Starts the receiver and waits until its UDP socket is bound; throws std::runtime_error.
  explicit ReceiverProcess(const ReceiverSpec& spec);
  ~ReceiverProcess();  // stops it if still running
  ReceiverProcess(const ReceiverProcess&) = delete;
  ReceiverProcess& operator=(const ReceiverProcess&) = delete;

  pid_t pid() const { return pid_; }
  // SIGTERM, then SIGKILL after a grace period. Returns false if it had died before.
  bool stop();

 private:
  std::vector<std::string> command() const;
  void write_flowd_config(const std::filesystem::path& file) const;
  void write_nfacctd_config(const std::filesystem::path& file) const;
  void wait_until_listening();
  std::string log_tail() const;

  ReceiverSpec spec_;
  std::filesystem::path log_file_;
  pid_t pid_ = -1;
};

}  // namespace flowd::load
