#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "onefirewall_flowd/app/pipeline.h"
#include "onefirewall_flowd/net/udp_listener.h"

namespace flowd {

// The counters of one worker; metrics and the log add them up over workers.
// Each worker bumps its own, so no counter's cache line moves between cores.
struct WorkerStats {
  ListenerStats net;
  DecodeStats decode;
  EnrichStats enrich;
};

// Adds part's counts to total (for totals over workers).
void add_to(WorkerStats& total, const WorkerStats& part);

// One receive thread: its own sockets (one per listen endpoint), an
// io_context only for the tasks other threads post to it,
// decoder and enricher, feeding reduce and the sink shared with the other
// workers. Its pipeline belongs to its thread while that runs; other threads
// reach it with post() or submit().
class Worker {
 public:
  // Called on the worker's thread when it cannot go on, with the reason.
  using FailureHandler = std::function<void(const std::string& why)>;

  // workers: how many share the decode caps (see Pipeline).
  Worker(const Config& config, SharedStages& shared, FailureHandler on_failure, size_t workers = 1);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Before start(): binds the endpoints; throws naming one that cannot be bound.
  void listen(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer, PortSharing sharing);
  [[nodiscard]] std::vector<boost::asio::ip::udp::endpoint> local_endpoints() const;
  void start();
  // Stops receiving once the datagrams in hand are processed; the thread
  // then ends. Any thread.
  void stop();
  void join();

  // A reload: the enricher is built on this thread and swapped in on the
  // worker's, between two datagrams.
  void reconfigure(const Config& config);

  // Runs task on the worker's thread, between two datagrams.
  template <typename Task>
  void post(Task&& task) {
    boost::asio::post(io_, std::forward<Task>(task));
    listener_.wake();
  }
  // Runs fn(pipeline) on the worker's thread, or at once on this one when
  // that thread is not running, and returns the result's future.
  template <typename Fn>
  std::future<std::invoke_result_t<Fn&, Pipeline&>> submit(Fn fn);

  // Before start() or after join() only.
  [[nodiscard]] Pipeline& pipeline() { return pipeline_; }
  // From any thread.
  [[nodiscard]] const Pipeline& observe() const { return pipeline_; }
  [[nodiscard]] const WorkerStats& stats() const { return stats_; }

 private:
  void on_datagram(const Datagram& datagram);
  void run();
  void run_posted();

  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  WorkerStats stats_;
  Pipeline pipeline_;
  UdpListener listener_;
  FailureHandler on_failure_;
  bool failed_ = false;  // on the worker's thread
  std::thread thread_;
};

template <typename Fn>
std::future<std::invoke_result_t<Fn&, Pipeline&>> Worker::submit(Fn fn) {
  std::promise<std::invoke_result_t<Fn&, Pipeline&>> promise;
  auto future = promise.get_future();
  if (!thread_.joinable()) {
    promise.set_value(fn(pipeline_));
  } else {
    post([this, fn = std::move(fn), promise = std::move(promise)]() mutable {
      promise.set_value(fn(pipeline_));
    });
  }
  return future;
}

}  // namespace flowd
