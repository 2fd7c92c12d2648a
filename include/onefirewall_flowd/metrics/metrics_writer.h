#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onefirewall_flowd/core/histogram.h"

namespace flowd {

// Writes the Prometheus text exposition format. Every name gets the
// onefirewall_flowd_ prefix; counters should end in _total.
class MetricsWriter {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string>>;

  void counter(std::string_view name, std::string_view help, uint64_t value);
  void gauge(std::string_view name, std::string_view help, double value);
  // Writes name_bucket{le=...} for each bound and +Inf, then name_sum and name_count.
  void histogram(std::string_view name, std::string_view help, const Histogram::Snapshot& snapshot);

  // A family of samples that differ by labels. Writes HELP and TYPE once.
  void family(std::string_view name, std::string_view help, std::string_view type);
  void sample(std::string_view name, const Labels& labels, double value);

  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace flowd
