#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace flowd::config_detail {

// The count of leading ASCII digits of text.
inline std::size_t leading_digits(std::string_view text) {
  std::size_t count = 0;
  while (count < text.size() && text[count] >= '0' && text[count] <= '9') ++count;
  return count;
}

// A whole decimal number made of digits only; nullopt on anything else or overflow.
inline std::optional<uint64_t> parse_decimal(std::string_view digits) {
  if (digits.empty() || leading_digits(digits) != digits.size()) return std::nullopt;
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace flowd::config_detail
