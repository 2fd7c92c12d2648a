#pragma once

#include <memory>
#include <string>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/deliver/deliver_stats.h"
#include "onefirewall_flowd/deliver/queue_sink.h"
#include "onefirewall_flowd/deliver/stdout_sink.h"
#include "onefirewall_flowd/deliver/uploader.h"

namespace flowd {

// Where records go: stdout in --dry-run, the uploader otherwise.
class Delivery {
 public:
  static std::unique_ptr<Delivery> dry_run();
  // Throws std::runtime_error when the spool or the HTTP client cannot be set up.
  static std::unique_ptr<Delivery> upload(const Config& config, std::string token);

  EventSink& sink();
  [[nodiscard]] bool dry() const { return uploader_ == nullptr; }
  void start();
  void stop();
  void set_token(std::string token);
  [[nodiscard]] std::string summary() const;
  [[nodiscard]] const DeliverStats& stats() const { return stats_; }
  [[nodiscard]] uint64_t written() const { return stdout_sink_.written(); }

 private:
  Delivery() = default;
  StdoutSink stdout_sink_;
  DeliverStats stats_;
  std::unique_ptr<Uploader> uploader_;
  std::unique_ptr<QueueSink> queue_sink_;
};

}  // namespace flowd
