#include "onefirewall_flowd/app/daemon.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>

#include "onefirewall_flowd/app/log_setup.h"
#include "onefirewall_flowd/app/pipeline.h"
#include "onefirewall_flowd/config/config_loader.h"
#include "onefirewall_flowd/net/udp_listener.h"

namespace flowd {
namespace {

void log_summary(const ListenerStats& net, const PipelineStats& p, uint64_t written) {
  spdlog::info(
      "datagrams {} decoded_flows {} decode_errors {} records {} out_of_scope {} deduplicated {} evicted {} "
      "written {} receive_errors {}",
      net.datagrams.value(), p.decode.flows.value(), p.decode.errors.total(), p.enrich.events.value(),
      p.enrich.out_of_scope.total(), p.reduce.deduplicated.value(), p.reduce.evicted.value(), written,
      net.receive_errors.value());
}

class DryRunDaemon {
 public:
  DryRunDaemon(Config config, std::string config_path)
      : config_(std::move(config)),
        config_path_(std::move(config_path)),
        pipeline_(config_, stats_, sink_),
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
    spdlog::info("onefirewall-flowd running in dry-run: records go to stdout");
    io_.run();
    sink_.flush();
    log_summary(net_stats_, stats_, sink_.written());
    return exit_code_;
  }

 private:
  void on_datagram(const Datagram& d) {
    pipeline_.process(d);
    if (std::ferror(stdout)) {
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
      set_log_level(fresh.log_level);
      pipeline_.reconfigure(fresh);
      config_ = std::move(fresh);
      spdlog::info("reloaded {}", config_path_);
    } catch (const ConfigError& e) {
      spdlog::error("reload rejected, keeping the running configuration: {}", e.what());
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
  StdoutSink sink_;
  Pipeline pipeline_;
  UdpListener listener_;
  boost::asio::signal_set signals_;
  int exit_code_ = kExitOk;
};

}  // namespace

int run(const CliOptions& options) {
  switch (options.command) {
    case CliOptions::Command::kVersion:
      std::cout << version_text();
      return kExitOk;
    case CliOptions::Command::kHelp:
      std::cout << usage_text();
      return kExitOk;
    default:
      break;
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
  if (!options.dry_run) {
    spdlog::error("HTTPS delivery to the API is not part of this build yet; run with --dry-run");
    return kExitRuntime;
  }
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout becomes a write error, not a kill
  DryRunDaemon daemon(std::move(config), options.config_path);
  return daemon.run();
}

}  // namespace flowd
