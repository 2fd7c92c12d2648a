// Paced UDP sender: N exporters on 127.0.1.1..N, bursts every millisecond via sendmmsg.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "conversations.h"
#include "encoders.h"

namespace flowd::load {

struct LoadPlan {
  Protocol protocol = Protocol::kV5;
  double flows_per_second = 0;
  double duration_s = 0;
  uint32_t exporters = 0;
  uint64_t conversations = 0;
  bool distinct = false;
  in_addr target{};
  uint16_t port = 0;
};

struct SendResult {
  uint64_t datagrams_planned = 0;
  uint64_t datagrams_sent = 0;
  uint64_t flows_sent = 0;
  uint64_t send_errors = 0;
  uint64_t max_backlog = 0;  // most datagrams due but not yet sent at a tick
  double elapsed_s = 0;
  double cpu_s = 0;          // the sender's own CPU time
  bool kept_up() const { return datagrams_sent == datagrams_planned; }
};

class LoadGenerator {
 public:
  explicit LoadGenerator(const LoadPlan& plan);  // throws std::runtime_error
  ~LoadGenerator();
  LoadGenerator(const LoadGenerator&) = delete;
  LoadGenerator& operator=(const LoadGenerator&) = delete;

  size_t flows_per_datagram() const { return encoder_->flows_per_datagram(); }
  SendResult run();

 private:
  struct Exporter;
  void send_burst(uint64_t count, SendResult& result);
  void send_from(Exporter& exporter, uint64_t count, SendResult& result);

  LoadPlan plan_;
  std::unique_ptr<Encoder> encoder_;
  std::vector<Exporter> exporters_;
  std::vector<uint8_t> buffers_;
  std::vector<iovec> iovs_;
  std::vector<mmsghdr> messages_;
  uint64_t next_exporter_ = 0;
  uint64_t start_ns_ = 0;
  uint64_t start_unix_ms_ = 0;
};

}  // namespace flowd::load
