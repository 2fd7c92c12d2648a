#include "quote.h"

#include <cstdio>

namespace flowd::config_detail {
namespace {

constexpr std::size_t kLongestQuotedValue = 80;
constexpr std::size_t kLongestPathKey = 40;

bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

// At most `limit` characters of text with control characters as \xNN, and "..." when cut.
std::string escaped(std::string_view text, std::size_t limit) {
  std::string out;
  for (char c : text.substr(0, limit)) {
    if (!is_control(c)) {
      out += c;
      continue;
    }
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned char>(c));
    out += buffer;
  }
  return text.size() > limit ? out + "..." : out;
}

}  // namespace

std::string quote(std::string_view text) {
  return "'" + escaped(text, kLongestQuotedValue) + "'";
}

std::string without_controls(std::string_view text) {
  return escaped(text, text.size());
}

std::string path_key(std::string_view key) {
  return escaped(key, kLongestPathKey);
}

}  // namespace flowd::config_detail
