#include "onefirewall_flowd/app/worker_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "onefirewall_flowd/app/template_file.h"
#include "onefirewall_flowd/config/units.h"

namespace flowd {
namespace {

std::vector<Endpoint> bound_endpoints(const std::vector<Endpoint>& endpoints, const Worker& first) {
  std::vector<Endpoint> bound = endpoints;
  const auto local = first.local_endpoints();
  for (size_t i = 0; i < bound.size() && i < local.size(); ++i) bound[i].port = local[i].port();
  return bound;
}

}  // namespace

size_t worker_count(uint32_t configured, unsigned cores) {
  if (configured > 0) return configured;
  return cores > 1 ? cores - 1 : 1;
}

size_t worker_count(uint32_t configured) {
  return worker_count(configured, std::thread::hardware_concurrency());
}

WorkerPool::WorkerPool(size_t count, const Config& config, SharedStages& shared,
                       Worker::FailureHandler on_failure)
    : config_(config), shared_(shared), on_failure_(on_failure) {
  const size_t n = std::max<size_t>(count, 1);
  for (size_t i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>(config, shared, on_failure, n));
  }
}

void WorkerPool::listen(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer) {
  const bool shared = workers_.size() > 1;
  workers_.front()->listen(endpoints, receive_buffer, shared ? PortSharing::kFirst : PortSharing::kNone);
  // Port-0 endpoints: the others join the port the kernel chose for the first.
  const std::vector<Endpoint> bound = bound_endpoints(endpoints, *workers_.front());
  for (size_t i = 1; i < workers_.size(); ++i) workers_[i]->listen(bound, receive_buffer, PortSharing::kJoin);
  for (const Endpoint& e : bound) {
    spdlog::info("listening on udp {} ({} worker{})", format_endpoint(e), workers_.size(), shared ? "s" : "");
  }
}

void WorkerPool::listen_tcp(const std::vector<Endpoint>& endpoints, const TcpListenerSettings& settings) {
  if (endpoints.empty()) return;
  tcp_ = std::make_unique<TcpReceiver>(config_, shared_, tcp_stats_, on_failure_, settings);
  tcp_->listen(endpoints);
  const auto local = tcp_->local_endpoints();
  for (size_t i = 0; i < endpoints.size() && i < local.size(); ++i) {
    spdlog::info("listening on tcp {} (IPFIX)", format_endpoint({endpoints[i].address, local[i].port()}));
  }
}

std::vector<boost::asio::ip::tcp::endpoint> WorkerPool::tcp_endpoints() const {
  return tcp_ ? tcp_->local_endpoints() : std::vector<boost::asio::ip::tcp::endpoint>{};
}

void WorkerPool::start() {
  for (auto& w : workers_) w->start();
  if (tcp_) tcp_->start();
}

void WorkerPool::stop() {
  for (auto& w : workers_) w->stop();
  if (tcp_) tcp_->stop();
}

void WorkerPool::join() {
  for (auto& w : workers_) w->join();
  if (tcp_) tcp_->join();
}

void WorkerPool::reconfigure(const Config& config) {
  for (auto& w : workers_) w->reconfigure(config);
  if (tcp_) tcp_->reconfigure(config);
}

size_t WorkerPool::load_templates(std::span<const uint8_t> saved) {
  size_t loaded = 0;
  for (auto& w : workers_) loaded = w->pipeline().load_templates(saved);
  return loaded;
}

std::optional<std::vector<uint8_t>> WorkerPool::save_templates(const TemplateLimits& limits,
                                                               std::chrono::milliseconds timeout) {
  std::vector<std::future<std::vector<uint8_t>>> pending;
  for (auto& w : workers_) pending.push_back(w->submit([](Pipeline& p) { return p.save_templates(); }));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::vector<uint8_t>> saves;
  for (auto& f : pending) {
    if (f.wait_until(deadline) != std::future_status::ready) return std::nullopt;
    saves.push_back(f.get());
  }
  if (saves.size() == 1) return std::move(saves.front());
  return merge_template_saves(saves, limits);
}

void WorkerPool::add_stats_to(WorkerStats& total) const {
  for (const auto& w : workers_) add_to(total, w->stats());
  if (tcp_) add_to(total, tcp_->stats());
}

size_t WorkerPool::templates_active() const {
  size_t n = 0;
  for (const auto& w : workers_) n += w->observe().templates_active();
  if (tcp_) n += tcp_->templates_active();
  return n;
}

void WorkerPool::add_exporters_to(std::map<IpAddress, ExporterCounts>& totals, ExporterCounts& other) const {
  std::vector<const ExporterSeries*> series;
  for (const auto& w : workers_) series.push_back(&w->observe().exporters());
  if (tcp_) series.push_back(&tcp_->observe().exporters());
  add_series_to(series, totals, other);
}

}  // namespace flowd
