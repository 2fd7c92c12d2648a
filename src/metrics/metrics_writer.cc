#include "onefirewall_flowd/metrics/metrics_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace flowd {
namespace {

constexpr std::string_view kPrefix = "onefirewall_flowd_";

void append_escaped_label(std::string_view value, std::string& out) {
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_number(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (value == std::floor(value) && std::fabs(value) < 9.007199254740992e15) {
    out += std::to_string(static_cast<int64_t>(value));
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  out += buf;
}

// Shortest round-trip text, fixed or exponent chosen as Go's strconv 'g' does, so
// bucket labels match the official clients': 0.1, 60, 86400, 1e+06, 1e-05.
std::string format_bound(double bound) {
  char buf[64];
  const auto sci = std::to_chars(buf, buf + sizeof buf, bound, std::chars_format::scientific);
  // The exponent ends at sci.ptr: buf is not NUL-terminated, so no atoi.
  const char* digits = std::find(buf, sci.ptr, 'e') + 1;
  if (digits < sci.ptr && *digits == '+') ++digits;
  int exponent = 0;
  std::from_chars(digits, sci.ptr, exponent);
  if (exponent < -4 || exponent >= 6) return std::string(buf, sci.ptr);
  const auto fixed = std::to_chars(buf, buf + sizeof buf, bound, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

}  // namespace

void MetricsWriter::family(std::string_view name, std::string_view help, std::string_view type) {
  text_ += "# HELP ";
  text_ += kPrefix;
  text_ += name;
  text_ += ' ';
  text_ += help;
  text_ += "\n# TYPE ";
  text_ += kPrefix;
  text_ += name;
  text_ += ' ';
  text_ += type;
  text_ += '\n';
}

void MetricsWriter::sample(std::string_view name, const Labels& labels, double value) {
  text_ += kPrefix;
  text_ += name;
  if (!labels.empty()) {
    text_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) text_ += ',';
      text_ += labels[i].first;
      text_ += "=\"";
      append_escaped_label(labels[i].second, text_);
      text_ += '"';
    }
    text_ += '}';
  }
  text_ += ' ';
  append_number(value, text_);
  text_ += '\n';
}

void MetricsWriter::counter(std::string_view name, std::string_view help, uint64_t value) {
  family(name, help, "counter");
  sample(name, {}, static_cast<double>(value));
}

void MetricsWriter::gauge(std::string_view name, std::string_view help, double value) {
  family(name, help, "gauge");
  sample(name, {}, value);
}

void MetricsWriter::histogram(std::string_view name, std::string_view help,
                              const Histogram::Snapshot& snapshot) {
  family(name, help, "histogram");
  const std::string base(name);
  const std::string bucket = base + "_bucket";
  for (size_t i = 0; i < snapshot.bounds.size(); ++i) {
    sample(bucket, {{"le", format_bound(snapshot.bounds[i])}},
           static_cast<double>(snapshot.cumulative.at(i)));
  }
  sample(bucket, {{"le", "+Inf"}}, static_cast<double>(snapshot.count));
  sample(base + "_sum", {}, snapshot.sum);
  sample(base + "_count", {}, static_cast<double>(snapshot.count));
}

}  // namespace flowd
