#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowd {

// One sample of the Prometheus text exposition format.
struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The samples of a /metrics page, for `status`.
class PromText {
 public:
  // Skips comments, blank lines and lines that do not parse; counts the latter.
  static PromText parse(std::string_view text);

  // The first sample named `name` whose labels include `labels`.
  [[nodiscard]] std::optional<double> value(std::string_view name,
                                            const std::map<std::string, std::string>& labels = {}) const;
  // Every sample named `name`.
  [[nodiscard]] std::vector<const PromSample*> all(std::string_view name) const;
  [[nodiscard]] size_t malformed_lines() const { return malformed_; }

 private:
  std::vector<PromSample> samples_;
  size_t malformed_ = 0;
};

// Parses one sample line: `name{label="value",...} 1.5 [timestamp]`.
[[nodiscard]] std::optional<PromSample> parse_prom_line(std::string_view line);

}  // namespace flowd
