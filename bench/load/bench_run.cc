#include "bench_run.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "local_net.h"
#include "process_sampler.h"

namespace flowd::load {
namespace {

// After the window, datagrams still queued in the socket get processed and counted too.
constexpr auto kSettle = std::chrono::milliseconds(250);

ReceiverSpec receiver_spec(const Options& options, ReceiverKind kind, const std::filesystem::path& work_dir) {
  ReceiverSpec spec;
  spec.kind = kind;
  spec.daemon_path = options.daemon_path;
  spec.listen_address = options.target;
  spec.port = options.port != 0 ? options.port : free_port(SOCK_DGRAM);
  spec.metrics_port = free_port(SOCK_STREAM);
  spec.work_dir = work_dir;
  spec.workers = options.workers;
  if (spec.port == 0 || spec.metrics_port == 0) throw std::runtime_error("no free loopback port");
  return spec;
}

LoadPlan load_plan(const Options& options, uint16_t port) {
  LoadPlan plan;
  plan.protocol = options.protocol;
  plan.flows_per_second = options.flows_per_second;
  plan.duration_s = options.duration_s;
  plan.exporters = options.exporters;
  plan.conversations = options.conversations;
  plan.distinct = options.distinct;
  plan.target = target_address(options);
  plan.port = port;
  return plan;
}

}  // namespace

uint64_t RunResult::received_flows() const {
  const uint64_t dropped = drops * flows_per_datagram;
  return send.flows_sent > dropped ? send.flows_sent - dropped : 0;
}

double RunResult::achieved_fps() const {
  return send.elapsed_s > 0 ? static_cast<double>(received_flows()) / send.elapsed_s : 0;
}

double RunResult::cpu_us_per_1k_flows() const {
  const uint64_t flows = received_flows();
  return flows > 0 ? receiver_cpu_s * 1e6 / (static_cast<double>(flows) / 1000) : 0;
}

double RunResult::sender_cpu_us_per_1k_flows() const {
  return send.flows_sent > 0 ? send.cpu_s * 1e6 / (static_cast<double>(send.flows_sent) / 1000) : 0;
}

RunResult run_once(const Options& options, ReceiverKind kind, const std::filesystem::path& work_dir) {
  std::filesystem::create_directories(work_dir);
  const ReceiverSpec spec = receiver_spec(options, kind, work_dir);
  ReceiverProcess receiver(spec);
  LoadGenerator generator(load_plan(options, spec.port));
  const ProcessSampler sampler(receiver.pid());
  RunResult r;
  r.kind = kind;
  r.flows_per_datagram = generator.flows_per_datagram();
  r.offered_fps = options.flows_per_second;
  const double cpu_before = sampler.cpu_seconds();
  r.send = generator.run();
  std::this_thread::sleep_for(kSettle);
  r.receiver_cpu_s = sampler.cpu_seconds() - cpu_before;
  r.drops = udp_socket_drops(spec.port);
  r.peak_rss_kib = sampler.peak_rss_kib();
  if (kind == ReceiverKind::kFlowd) {
    r.decoded = fetch_metric(spec.metrics_port, "onefirewall_flowd_flows_decoded_total");
    r.passed = fetch_metric(spec.metrics_port, "onefirewall_flowd_records_passed_total");
    r.deduplicated = fetch_metric(spec.metrics_port, "onefirewall_flowd_records_deduplicated_total");
  }
  r.receiver_died = !receiver.stop();
  return r;
}

}  // namespace flowd::load
