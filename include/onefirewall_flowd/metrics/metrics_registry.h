#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "onefirewall_flowd/metrics/metrics_writer.h"

namespace flowd {

// Components register a function that writes their metrics; a scrape calls
// them all in registration order.
class MetricsRegistry {
 public:
  using Collector = std::function<void(MetricsWriter&)>;

  void add(Collector collector);
  [[nodiscard]] std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Collector> collectors_;
};

}  // namespace flowd
