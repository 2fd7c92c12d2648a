#include "onefirewall_flowd/app/daemon.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <iostream>

#include "onefirewall_flowd/app/daemon_metrics.h"
#include "onefirewall_flowd/app/delivery.h"
#include "onefirewall_flowd/app/exporter_liveness.h"
#include "onefirewall_flowd/app/health_monitor.h"
#include "onefirewall_flowd/app/log_setup.h"
#include "onefirewall_flowd/app/service_notifier.h"
#include "onefirewall_flowd/app/shared_stages.h"
#include "onefirewall_flowd/app/template_file.h"
#include "onefirewall_flowd/app/worker_pool.h"
#include "onefirewall_flowd/config/config_loader.h"
#include "onefirewall_flowd/deliver/token_source.h"
#include "onefirewall_flowd/metrics/metrics_server.h"

namespace flowd {
namespace {

// How long the main thread waits for the workers' templates.
constexpr std::chrono::seconds kTemplateSaveTimeout{2};

void log_summary(const WorkerPool& workers, const ReduceStats& reduce, const Delivery& delivery) {
  WorkerStats w;
  workers.add_stats_to(w);
  spdlog::info(
      "datagrams {} decoded_flows {} decode_errors {} records {} out_of_scope {} deduplicated {} evicted {} "
      "receive_errors {} truncated {}",
      w.net.datagrams.value(), w.decode.flows.value(), w.decode.errors.total(), w.enrich.events.value(),
      w.enrich.out_of_scope.total(), reduce.deduplicated.value(), reduce.evicted.value(),
      w.net.receive_errors.value(), w.net.truncated.value());
  spdlog::info("delivery: {}", delivery.summary());
}

// A warning naming the listed exporters silent longer than exporters.silent_after.
void log_silent_exporters(const Config& config, const WorkerPool& workers, int64_t started_at) {
  if (config.exporters.empty()) return;
  std::map<IpAddress, ExporterCounts> heard;
  ExporterCounts other;
  workers.add_exporters_to(heard, other);
  const int64_t now = unix_seconds_now();
  const auto liveness =
      listed_exporter_liveness(config.exporters, heard, now, started_at, config.exporter_silent_after);
  if (const std::string silent = describe_silent(liveness, now); !silent.empty()) {
    spdlog::warn("exporters silent for longer than exporters.silent_after: {}", silent);
  }
}

uint64_t flows_decoded(const WorkerPool& workers) {
  WorkerStats w;
  workers.add_stats_to(w);
  return w.decode.flows.value();
}

// Reads the token and logs where it came from, never the token itself.
std::optional<std::string> read_token(const Config& config) {
  TokenLoad token = load_token(config.api.token_file);
  if (!token.ok()) {
    spdlog::error("{}", token.error);
    return std::nullopt;
  }
  if (!token.warning.empty()) spdlog::warn("{}", token.warning);
  spdlog::info("API token from {}", token.source);
  return std::move(token.value);
}

bool delivery_settings_changed(const Config& a, const Config& b) {
  return a.api != b.api || a.spool_path != b.spool_path || a.spool_max_size != b.spool_max_size ||
         a.queue_capacity != b.queue_capacity;
}

class Daemon {
 public:
  Daemon(Config config, std::string config_path, std::unique_ptr<Delivery> delivery)
      : config_(std::move(config)),
        config_path_(std::move(config_path)),
        delivery_(std::move(delivery)),
        shared_(config_, reduce_stats_, delivery_->sink()),
        workers_(worker_count(config_.workers), config_, shared_,
                 [this](const std::string& why) { boost::asio::post(io_, [this, why] { fail(why); }); }),
        metrics_(io_, registry_, [this] { return health_.health(); }),
        signals_(io_, SIGINT, SIGTERM, SIGHUP),
        tick_(io_) {
    register_daemon_metrics(registry_, info_, workers_, reduce_stats_, *delivery_);
    // A dry run on a workstation keeps templates only where the state directory exists.
    const bool state_dir_usable = !delivery_->dry() || std::filesystem::is_directory(config_.spool_path);
    if (config_.templates_persist && state_dir_usable) {
      templates_.emplace(std::filesystem::path(config_.spool_path) / "templates.bin");
    }
  }

  int run() {
    load_templates();
    try {
      workers_.listen(config_.listen, config_.receive_buffer);
      workers_.listen_tcp(config_.listen_tcp);
      metrics_.start(config_.metrics_listen);
      workers_.start();
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      return kExitRuntime;
    }
    listening_ = true;
    wait_for_signal();
    delivery_->start();
    on_tick();
    notifier_.ready();
    if (delivery_->dry()) {
      spdlog::info("onefirewall-flowd running in dry-run: records go to stdout");
    } else {
      spdlog::info("onefirewall-flowd running: records go to {}", config_.api.url);
    }
    io_.run();
    workers_.join();
    save_templates();
    delivery_->stop();
    log_summary(workers_, reduce_stats_, *delivery_);
    return exit_code_;
  }

 private:
  // A worker could not go on (stdout closed in a dry run): the daemon stops.
  void fail(const std::string& why) {
    if (!listening_) return;
    spdlog::error("{}; stopping", why);
    exit_code_ = kExitRuntime;
    shutdown();
  }

  void load_templates() {
    if (!templates_) return;
    const auto saved = templates_->read();
    if (!saved) return;
    const size_t loaded = workers_.load_templates(*saved);
    spdlog::info("templates: restored {} from {}", loaded, templates_->path().string());
  }

  void save_templates() {
    if (!templates_) return;
    if (auto saved = workers_.save_templates(template_limits(config_), kTemplateSaveTimeout)) {
      templates_->write(*saved);
    } else {
      spdlog::warn("templates: a worker did not answer in time; not saved");
    }
  }

  void wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        reload();
        wait_for_signal();
        return;
      }
      spdlog::info("signal {}: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
      shutdown();
    });
  }

  void reload() {
    try {
      Config fresh = load_config_file(config_path_);
      if (fresh.listen != config_.listen || fresh.listen_tcp != config_.listen_tcp ||
          fresh.workers != config_.workers || fresh.receive_buffer != config_.receive_buffer) {
        spdlog::warn(
            "reload: listen, listen_tcp, workers and receive_buffer changes take effect at the next restart");
      }
      if (!delivery_->dry() && delivery_settings_changed(fresh, config_)) {
        spdlog::warn(
            "reload: api (except the token), queue and spool changes take effect at the next restart");
      }
      set_log_level(fresh.log_level);
      shared_.reconfigure(fresh);
      workers_.reconfigure(fresh);
      config_ = std::move(fresh);
      spdlog::info("reloaded {}", config_path_);
    } catch (const ConfigError& e) {
      spdlog::error("reload rejected, keeping the running configuration: {}", e.what());
    }
    reload_token();
  }

  void reload_token() {
    if (delivery_->dry()) return;
    if (auto token = read_token(config_)) {
      delivery_->set_token(std::move(*token));
    } else {
      spdlog::error("reload: keeping the token in use");
    }
  }

  void shutdown() {
    notifier_.stopping();
    listening_ = false;
    workers_.stop();
    metrics_.stop();
    signals_.cancel();
    tick_.cancel();
  }

  // Once a second: the watchdog; every 5 s: STATUS and health; every minute: a
  // summary line and the templates saved.
  void on_tick() {
    ++ticks_;
    notifier_.watchdog();
    if (ticks_ % 5 == 1) report_status();
    if (ticks_ % 60 == 0) {
      log_summary(workers_, reduce_stats_, *delivery_);
      log_silent_exporters(config_, workers_, info_.started_at);
      save_templates();
    }
    tick_.expires_after(std::chrono::seconds(1));
    tick_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) on_tick();
    });
  }

  void report_status() {
    const auto now = HealthMonitor::Clock::now();
    const DeliverStats& d = delivery_->stats();
    const uint64_t flows = flows_decoded(workers_);
    const double seconds = std::chrono::duration<double>(now - last_status_).count();
    const double rate =
        last_status_flows_ <= flows && seconds > 0 ? (flows - last_status_flows_) / seconds : 0;
    last_status_ = now;
    last_status_flows_ = flows;
    health_.count_spool_errors(d.dropped.value(DeliverDrop::kSpoolError));
    health_.sample(listening_, d.delivered.value(), d.queue_depth.value(), d.auth_paused.value() != 0, now);
    const std::string backlog =
        delivery_->dry() ? "" : ", " + describe_backlog(d, unix_ms(std::chrono::system_clock::now()));
    notifier_.status(fmt::format("{:.0f} flows/s{}, delivered {}{}", rate, backlog,
                                 delivery_->dry() ? delivery_->written() : d.delivered.value(),
                                 health_.health().ok ? "" : "; " + health_.health().reason));
  }

  Config config_;
  DaemonInfo info_{config_, unix_seconds_now()};
  std::string config_path_;
  boost::asio::io_context io_{1};
  ReduceStats reduce_stats_;
  std::unique_ptr<Delivery> delivery_;
  SharedStages shared_;
  WorkerPool workers_;
  std::optional<TemplateFile> templates_;
  MetricsRegistry registry_;
  MetricsServer metrics_;
  ServiceNotifier notifier_;
  HealthMonitor health_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer tick_;
  uint64_t ticks_ = 0;
  bool listening_ = false;
  HealthMonitor::Clock::time_point last_status_ = HealthMonitor::Clock::now();
  uint64_t last_status_flows_ = 0;
  int exit_code_ = kExitOk;
};

int run_daemon(Config config, const CliOptions& options) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout or socket becomes a write error, not a kill
  std::unique_ptr<Delivery> delivery;
  if (options.dry_run) {
    delivery = Delivery::dry_run();
  } else {
    auto token = read_token(config);
    if (!token) return kExitConfig;
    if (config.api.url.starts_with("http://")) {
      spdlog::warn("api.url is plain http://: the token and the records cross the network unencrypted");
    }
    try {
      delivery = Delivery::upload(config, std::move(*token));
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      return kExitRuntime;
    }
  }
  Daemon daemon(std::move(config), options.config_path, std::move(delivery));
  return daemon.run();
}

}  // namespace

int run(const CliOptions& options) {
  switch (options.command) {
    case CliOptions::Command::kVersion: std::cout << version_text(); return kExitOk;
    case CliOptions::Command::kHelp: std::cout << usage_text(); return kExitOk;
    default: break;
  }
  Config config;
  try {
    config = load_config_file(options.config_path);
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kExitConfig;
  }
  if (options.command == CliOptions::Command::kCheckConfig) {
    std::cout << options.config_path << ": ok\n";
    return kExitOk;
  }
  set_log_level(config.log_level);
  return run_daemon(std::move(config), options);
}

}  // namespace flowd
