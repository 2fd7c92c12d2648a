#include "onefirewall_flowd/metrics/metrics_registry.h"

namespace flowd {

void MetricsRegistry::add(Collector collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::render() const {
  MetricsWriter writer;
  std::lock_guard lock(mutex_);
  for (const auto& collect : collectors_) collect(writer);
  return writer.text();
}

}  // namespace flowd
