#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "onefirewall_flowd/app/tcp_receiver.h"
#include "onefirewall_flowd/app/worker.h"

namespace flowd {

// `workers` from the config. 0 means one per core but one, which is left to the
// kernel's receive work (softirq, freeing packet buffers); there is at least one.
// `cores` is 0 when unknown.
[[nodiscard]] size_t worker_count(uint32_t configured, unsigned cores);
[[nodiscard]] size_t worker_count(uint32_t configured);

// The receive workers. Every listen endpoint gets one socket per worker on
// the same port (SO_REUSEPORT when there are several), so each exporter's
// datagrams go to one worker, whose decoder holds its templates. See
// PortSharing for what happens when an exporter moves between workers.
class WorkerPool {
 public:
  WorkerPool(size_t count, const Config& config, SharedStages& shared, Worker::FailureHandler on_failure);

  // Binds every endpoint once per worker and logs where it listens. Throws
  // naming an endpoint that cannot be bound.
  void listen(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer);
  // listen_tcp: binds the IPFIX-over-TCP endpoints, if any, on a receiver
  // thread of their own. Throws naming an endpoint that cannot be bound.
  void listen_tcp(const std::vector<Endpoint>& endpoints, const TcpListenerSettings& settings = {});
  [[nodiscard]] std::vector<boost::asio::ip::tcp::endpoint> tcp_endpoints() const;
  void start();
  // Stops every listener; the threads end once the datagrams in hand are done.
  void stop();
  void join();

  // SIGHUP: each worker's enricher is rebuilt from the new config (see Worker).
  void reconfigure(const Config& config);

  // templates.persist: saved templates go to every worker, since an exporter
  // may land on any. Before start() only; returns how many one worker took.
  size_t load_templates(std::span<const uint8_t> saved);
  // Every worker's templates as one save, or nothing when a worker did not
  // answer within the timeout.
  [[nodiscard]] std::optional<std::vector<uint8_t>> save_templates(const TemplateLimits& limits,
                                                                   std::chrono::milliseconds timeout);

  [[nodiscard]] size_t size() const { return workers_.size(); }
  [[nodiscard]] Worker& worker(size_t i) { return *workers_[i]; }
  [[nodiscard]] const Worker& worker(size_t i) const { return *workers_[i]; }

  // From any thread: totals over workers.
  void add_stats_to(WorkerStats& total) const;
  [[nodiscard]] const TcpListenerStats& tcp_stats() const { return tcp_stats_; }
  [[nodiscard]] size_t templates_active() const;
  void add_exporters_to(std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other) const;

 private:
  const Config& config_;  // for a TCP receiver made by listen_tcp()
  SharedStages& shared_;
  Worker::FailureHandler on_failure_;
  std::vector<std::unique_ptr<Worker>> workers_;
  TcpListenerStats tcp_stats_;
  std::unique_ptr<TcpReceiver> tcp_;  // when listen_tcp lists endpoints
};

}  // namespace flowd
