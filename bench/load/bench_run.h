// One run: start a receiver, send the load, sample /proc, stop the receiver.
#pragma once

#include <filesystem>
#include <optional>

#include "load_generator.h"
#include "options.h"
#include "receiver.h"

namespace flowd::load {

struct RunResult {
  ReceiverKind kind = ReceiverKind::kFlowd;
  SendResult send;
  size_t flows_per_datagram = 0;
  double offered_fps = 0;
  double receiver_cpu_s = 0;
  uint64_t drops = 0;  // datagrams the kernel dropped on the receiver's socket
  uint64_t peak_rss_kib = 0;
  std::optional<double> decoded;  // ours only, from /metrics
  std::optional<double> passed;   // ours: records let through by reduce
  std::optional<double> deduplicated;
  bool receiver_died = false;

  // Flows that reached the receiver's socket (sent minus dropped), per second of the window.
  uint64_t received_flows() const;
  double achieved_fps() const;
  double cpu_us_per_1k_flows() const;
  double sender_cpu_us_per_1k_flows() const;
};

RunResult run_once(const Options& options, ReceiverKind kind, const std::filesystem::path& work_dir);

}  // namespace flowd::load
