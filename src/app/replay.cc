#include "onefirewall_flowd/app/replay.h"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>

#include "onefirewall_flowd/app/daemon.h"
#include "onefirewall_flowd/app/pipeline.h"
#include "onefirewall_flowd/capture/capture_reader.h"
#include "onefirewall_flowd/config/config_loader.h"
#include "onefirewall_flowd/deliver/event_json.h"

namespace flowd {
namespace {

// Writes each record at once, so that --explain lines follow their record.
class ImmediateSink : public EventSink {
 public:
  void write(const Event& event) override {
    line_.clear();
    append_event_json(event, line_);
    line_ += '\n';
    std::fwrite(line_.data(), 1, line_.size(), stdout);
  }
  bool flush() override { return std::fflush(stdout) == 0; }

 private:
  std::string line_;
};

std::string describe_flow(const FlowRecord& f) {
  return f.src_addr.to_string() + ":" + std::to_string(f.src_port) + " -> " + f.dst_addr.to_string() + ":" +
         std::to_string(f.dst_port) + " proto " + std::to_string(f.protocol) + " from exporter " +
         f.exporter.to_string() + " domain " + std::to_string(f.domain);
}

void explain(const FlowOutcome& o) {
  if (o.drop != ScopeDrop::kNone) {
    std::printf("# dropped %s: %s\n", describe_flow(o.flow).c_str(), std::string(to_string(o.drop)).c_str());
    return;
  }
  if (o.duplicate) {
    std::printf("# reduced %s: same conversation as an earlier record in reduce.window\n",
                describe_flow(o.flow).c_str());
    return;
  }
  std::printf("#   flow:        %s\n", describe_flow(o.flow).c_str());
  std::printf("#   firewall:    %s (%s)\n", o.event.firewall.c_str(), o.why.firewall.c_str());
  std::printf("#   orientation: %s\n", o.why.orientation.c_str());
  std::printf("#   direction:   %s (%s)\n", std::string(to_string(o.event.direction)).c_str(),
              o.why.direction.c_str());
  if (!o.why.vrf.empty()) std::printf("#   vrf:         %s\n", o.why.vrf.c_str());
  std::printf("#   action:      %s (%s)\n", std::string(to_string(o.event.action)).c_str(),
              o.why.action.c_str());
  std::printf("#   service:     %s (%s)\n", o.event.service.c_str(), o.why.service.c_str());
}

// A progress line on stderr, redrawn in place at most four times a second,
// shown only when stderr is a terminal and stdout is not (records scrolling on
// the same terminal would break the line up).
class ProgressLine {
 public:
  ProgressLine() : enabled_(::isatty(STDERR_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 0) {}

  void update(const std::string& path, const CaptureProgress& at, const PipelineStats& stats) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (shown_ && now - last_ < kInterval) return;
    last_ = now;
    shown_ = true;
    std::fprintf(stderr, "\r%s: %.1f / %.1f MiB, %llu datagrams, %llu records\x1b[K", path.c_str(),
                 mebibytes(at.bytes_read), mebibytes(at.bytes_total),
                 static_cast<unsigned long long>(stats.decode.datagrams.value()),
                 static_cast<unsigned long long>(stats.enrich.events.value()));
    std::fflush(stderr);
  }
  // Erases the line, so that what follows on stderr starts clean.
  void clear() {
    if (!shown_) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  static constexpr auto kInterval = std::chrono::milliseconds(250);
  static double mebibytes(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_;
};

bool load(const ReplayOptions& options, Config& config) {
  if (options.config_path.empty()) {
    config = Config::defaults();
    return true;
  }
  try {
    config = load_config_file(options.config_path);
    return true;
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return false;
  }
}

// Says on stderr what of the capture was not read; false when any of it could not be.
bool report_capture_problems(const std::string& path, const CaptureResult& capture) {
  if (capture.frames_skipped != 0) {
    std::cerr << path << ": " << capture.frames_skipped
              << (capture.frames_skipped == 1 ? " frame" : " frames")
              << " skipped (not unfragmented UDP over IPv4 or IPv6)\n";
  }
  if (!capture.error.empty()) std::cerr << path << ": " << capture.error << "\n";
  if (!capture.read_error.empty()) {
    std::cerr << path << ": " << capture.read_error << "; the rest of the file is not read\n";
  }
  return capture.error.empty() && capture.read_error.empty();
}

}  // namespace

int run_replay(const ReplayOptions& options) {
  Config config;
  if (!load(options, config)) return kExitConfig;
  const auto raw_exporter = IpAddress::parse(options.raw_exporter);
  if (!raw_exporter) {
    std::cerr << "replay: --exporter '" << options.raw_exporter << "' is not an IP address\n";
    return kExitConfig;
  }
  PipelineStats stats;
  ImmediateSink sink;
  Pipeline pipeline(config, stats, sink);
  if (options.explain) pipeline.set_observer(explain);
  int status = kExitOk;
  ProgressLine progress;
  for (const auto& path : options.captures) {
    const CaptureResult capture = for_each_datagram(
        path, *raw_exporter, [&](const CapturedDatagram& captured, const CaptureProgress& at) {
          // Templates age by arrival time: capture times may be years old, so
          // each datagram arrives now, as it would live.
          Datagram d = captured.datagram();
          d.received = std::chrono::system_clock::now();
          pipeline.process(d);
          progress.update(path, at, stats);
        });
    progress.clear();
    if (!report_capture_problems(path, capture)) status = kExitRuntime;
  }
  std::fflush(stdout);
  std::cerr << "replay: " << stats.decode.datagrams.value() << " datagrams, " << stats.decode.flows.value()
            << " flows, " << stats.decode.errors.total() << " decode errors, " << stats.enrich.events.value()
            << " records, " << stats.enrich.out_of_scope.total() << " out of scope, "
            << stats.reduce.deduplicated.value() << " reduced\n";
  return status;
}

}  // namespace flowd
