#include "onefirewall_flowd/app/daemon.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>

#include "onefirewall_flowd/app/log_setup.h"
#include "onefirewall_flowd/app/pipeline.h"
#include "onefirewall_flowd/config/config_loader.h"
#include "onefirewall_flowd/deliver/deliver_stats.h"
#include "onefirewall_flowd/deliver/queue_sink.h"
#include "onefirewall_flowd/deliver/token_source.h"
#include "onefirewall_flowd/deliver/uploader.h"
#include "onefirewall_flowd/net/udp_listener.h"

namespace flowd {
namespace {

// Where records go: stdout in --dry-run, the uploader otherwise.
class Delivery {
 public:
  static std::unique_ptr<Delivery> dry_run() { return std::unique_ptr<Delivery>(new Delivery); }
  // Throws std::runtime_error when the spool or the HTTP client cannot be set up.
  static std::unique_ptr<Delivery> upload(const Config& config, std::string token) {
    auto d = std::unique_ptr<Delivery>(new Delivery);
    d->uploader_ = std::make_unique<Uploader>(UploaderSettings::from(config), std::move(token), d->stats_);
    d->queue_sink_ = std::make_unique<QueueSink>(*d->uploader_);
    return d;
  }

  EventSink& sink() { return queue_sink_ ? static_cast<EventSink&>(*queue_sink_) : stdout_sink_; }
  [[nodiscard]] bool dry() const { return uploader_ == nullptr; }
  void start() {
    if (uploader_) uploader_->start();
  }
  void stop() {
    stdout_sink_.flush();
    if (uploader_) uploader_->stop();
  }
  void set_token(std::string token) {
    if (uploader_) uploader_->set_token(std::move(token));
  }
  [[nodiscard]] std::string summary() const {
    return dry() ? "written " + std::to_string(stdout_sink_.written()) : describe(stats_);
  }

 private:
  Delivery() = default;
  StdoutSink stdout_sink_;
  DeliverStats stats_;
  std::unique_ptr<Uploader> uploader_;
  std::unique_ptr<QueueSink> queue_sink_;
};

void log_summary(const ListenerStats& net, const PipelineStats& p, const Delivery& delivery) {
  spdlog::info(
      "datagrams {} decoded_flows {} decode_errors {} records {} out_of_scope {} deduplicated {} evicted {} "
      "receive_errors {}",
      net.datagrams.value(), p.decode.flows.value(), p.decode.errors.total(), p.enrich.events.value(),
      p.enrich.out_of_scope.total(), p.reduce.deduplicated.value(), p.reduce.evicted.value(),
      net.receive_errors.value());
  spdlog::info("delivery: {}", delivery.summary());
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
        pipeline_(config_, stats_, delivery_->sink()),
        listener_(io_, net_stats_, [this](const Datagram& d) { on_datagram(d); }),
        signals_(io_, SIGINT, SIGTERM, SIGHUP) {}

  int run() {
    try {
      listener_.start(config_.listen, config_.receive_buffer);
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      return kExitRuntime;
    }
    wait_for_signal();
    delivery_->start();
    if (delivery_->dry()) {
      spdlog::info("onefirewall-flowd running in dry-run: records go to stdout");
    } else {
      spdlog::info("onefirewall-flowd running: records go to {}", config_.api.url);
    }
    io_.run();
    delivery_->stop();
    log_summary(net_stats_, stats_, *delivery_);
    return exit_code_;
  }

 private:
  void on_datagram(const Datagram& d) {
    pipeline_.process(d);
    if (delivery_->dry() && std::ferror(stdout)) {
      spdlog::error("cannot write records to stdout; stopping");
      exit_code_ = kExitRuntime;
      shutdown();
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
      if (fresh.listen != config_.listen || fresh.receive_buffer != config_.receive_buffer) {
        spdlog::warn("reload: listen and receive_buffer changes take effect at the next restart");
      }
      if (!delivery_->dry() && delivery_settings_changed(fresh, config_)) {
        spdlog::warn(
            "reload: api (except the token), queue and spool changes take effect at the next restart");
      }
      set_log_level(fresh.log_level);
      pipeline_.reconfigure(fresh);
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
    listener_.stop();
    signals_.cancel();
  }

  Config config_;
  std::string config_path_;
  boost::asio::io_context io_{1};
  ListenerStats net_stats_;
  PipelineStats stats_;
  std::unique_ptr<Delivery> delivery_;
  Pipeline pipeline_;
  UdpListener listener_;
  boost::asio::signal_set signals_;
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
