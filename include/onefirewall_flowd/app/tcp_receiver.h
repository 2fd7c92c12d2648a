#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "onefirewall_flowd/app/pipeline.h"
#include "onefirewall_flowd/app/worker.h"
#include "onefirewall_flowd/net/tcp_listener.h"

namespace flowd {

// IPFIX over TCP (listen_tcp): one thread running a TcpListener and a
// pipeline feeding the reduce and sink shared with the UDP workers. Each
// connection is a transport session with a decoder of its own, created at
// its first message, so its templates are scoped to the connection and
// freed when it closes.
class TcpReceiver {
 public:
  // The decode caps of one session: this share of a whole decoder's, so
  // that max_connections sessions hold at most that many shares.
  static constexpr size_t kSessionShare = 16;

  TcpReceiver(const Config& config, SharedStages& shared, TcpListenerStats& net,
              Worker::FailureHandler on_failure, const TcpListenerSettings& settings = {});
  ~TcpReceiver();
  TcpReceiver(const TcpReceiver&) = delete;
  TcpReceiver& operator=(const TcpReceiver&) = delete;

  // Before start(): binds; throws naming an endpoint that cannot be bound.
  void listen(const std::vector<Endpoint>& endpoints);
  [[nodiscard]] std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;
  void start();
  // Any thread: closes every connection; the thread then ends.
  void stop();
  void join();
  // A reload: exporters, networks and services, applied on the receiver's thread.
  void reconfigure(const Config& config);

  [[nodiscard]] const WorkerStats& stats() const { return stats_; }
  [[nodiscard]] const Pipeline& observe() const { return pipeline_; }
  // From any thread: templates held over all sessions.
  [[nodiscard]] size_t templates_active() const { return templates_active_.load(std::memory_order_relaxed); }
  // Sessions holding a decoder now (on the receiver's thread, or after join()).
  [[nodiscard]] size_t sessions() const { return sessions_.size(); }

 private:
  void on_message(const Datagram& message, uint64_t session);
  Decoder& session_decoder(uint64_t session);
  void close_session(uint64_t session);
  void count_templates(size_t before, size_t after);
  void set_admission(const ExporterAdmission& admission);

  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  WorkerStats stats_;  // decode and enrich; net is unused (TCP counts are TcpListenerStats)
  Pipeline pipeline_;
  TemplateLimits session_limits_;
  ExporterAdmission admission_;
  std::map<uint64_t, std::unique_ptr<Decoder>> sessions_;
  std::atomic<size_t> templates_active_{0};
  TcpListener listener_;
  Worker::FailureHandler on_failure_;
  bool failed_ = false;
  std::thread thread_;
};

}  // namespace flowd
