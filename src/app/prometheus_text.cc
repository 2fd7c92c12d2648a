#include "onefirewall_flowd/app/prometheus_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace flowd {
namespace {

bool is_name_char(char c, bool first) {
  const bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':';
  return letter || (!first && std::isdigit(static_cast<unsigned char>(c)) != 0);
}

std::string_view take_name(std::string_view& rest) {
  size_t n = 0;
  while (n < rest.size() && is_name_char(rest[n], n == 0)) ++n;
  const std::string_view name = rest.substr(0, n);
  rest.remove_prefix(n);
  return name;
}

// A quoted label value with \\, \" and \n escapes; the opening quote already taken.
std::optional<std::string> take_quoted(std::string_view& rest) {
  std::string out;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '"') {
      rest.remove_prefix(i + 1);
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i == rest.size()) return std::nullopt;
    out += rest[i] == 'n' ? '\n' : rest[i];
  }
  return std::nullopt;
}

bool take_labels(std::string_view& rest, std::map<std::string, std::string>& labels) {
  rest.remove_prefix(1);  // '{'
  while (!rest.empty() && rest.front() != '}') {
    const std::string name(take_name(rest));
    if (name.empty() || rest.size() < 2 || rest[0] != '=' || rest[1] != '"') return false;
    rest.remove_prefix(2);
    auto value = take_quoted(rest);
    if (!value) return false;
    labels[name] = std::move(*value);
    if (!rest.empty() && rest.front() == ',') rest.remove_prefix(1);
  }
  if (rest.empty()) return false;
  rest.remove_prefix(1);  // '}'
  return true;
}

std::optional<double> parse_value(std::string_view text) {
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<PromSample> parse_prom_line(std::string_view line) {
  PromSample sample;
  std::string_view rest = line;
  sample.name = std::string(take_name(rest));
  if (sample.name.empty()) return std::nullopt;
  if (!rest.empty() && rest.front() == '{' && !take_labels(rest, sample.labels)) return std::nullopt;
  if (rest.empty() || rest.front() != ' ') return std::nullopt;
  rest.remove_prefix(1);
  const auto value = parse_value(rest.substr(0, rest.find(' ')));
  if (!value) return std::nullopt;
  sample.value = *value;
  return sample;
}

PromText PromText::parse(std::string_view text) {
  PromText out;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (auto sample = parse_prom_line(line)) {
      out.samples_.push_back(std::move(*sample));
    } else {
      ++out.malformed_;
    }
  }
  return out;
}

std::optional<double> PromText::value(std::string_view name,
                                      const std::map<std::string, std::string>& labels) const {
  for (const PromSample& sample : samples_) {
    if (sample.name != name) continue;
    const bool match = std::all_of(labels.begin(), labels.end(), [&](const auto& label) {
      const auto it = sample.labels.find(label.first);
      return it != sample.labels.end() && it->second == label.second;
    });
    if (match) return sample.value;
  }
  return std::nullopt;
}

std::vector<const PromSample*> PromText::all(std::string_view name) const {
  std::vector<const PromSample*> out;
  for (const PromSample& sample : samples_) {
    if (sample.name == name) out.push_back(&sample);
  }
  return out;
}

}  // namespace flowd
