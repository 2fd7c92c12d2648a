#include "onefirewall_flowd/metrics/metrics_writer.h"

#include <cmath>
#include <cstdio>

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
  if (value == std::floor(value) && std::fabs(value) < 9.007199254740992e15) {
    out += std::to_string(static_cast<int64_t>(value));
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  out += buf;
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

}  // namespace flowd
