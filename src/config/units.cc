#include "onefirewall_flowd/config/units.h"

#include <array>
#include <limits>
#include <utility>

#include "number_text.h"
#include "quote.h"

namespace flowd {
namespace {

using config_detail::leading_digits;
using config_detail::parse_decimal;

template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;
};

template <typename T>
Parsed<T> rejected(std::string why) {
  return Parsed<T>{std::nullopt, std::move(why)};
}

struct Unit {
  std::string_view suffix;
  uint64_t factor;
};

// Largest first, so that formatting picks the largest exact unit.
constexpr std::array<Unit, 4> kDurationUnits = {{{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
constexpr std::array<Unit, 3> kSizeUnits = {{{"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}}};

template <std::size_t N>
std::optional<uint64_t> unit_factor(const std::array<Unit, N>& units, std::string_view suffix) {
  for (const Unit& unit : units) {
    if (unit.suffix == suffix) return unit.factor;
  }
  return std::nullopt;
}

// Splits "<digits><unit>" and multiplies; the shared part of durations and sizes.
template <std::size_t N>
Parsed<uint64_t> parse_with_unit(std::string_view text, const std::array<Unit, N>& units, bool unit_required,
                                 std::string_view unit_hint, std::string_view example) {
  if (text.empty()) return rejected<uint64_t>("is empty");
  if (text.front() == '-') return rejected<uint64_t>("is negative");
  const std::size_t digits = leading_digits(text);
  if (digits == 0) return rejected<uint64_t>("is not a number with a unit (" + std::string(example) + ")");
  const std::string_view suffix = text.substr(digits);
  if (!suffix.empty() && suffix.front() == '.') {
    return rejected<uint64_t>("is not a whole number (use a smaller unit: " + std::string(unit_hint) + ")");
  }
  std::optional<uint64_t> factor = suffix.empty() ? std::optional<uint64_t>{1} : unit_factor(units, suffix);
  if (suffix.empty() && unit_required) {
    return rejected<uint64_t>("has no unit (use " + std::string(unit_hint) + ")");
  }
  if (!factor) {
    return rejected<uint64_t>("has an unknown unit " + config_detail::quote(suffix) + " (use " +
                              std::string(unit_hint) + ")");
  }
  const std::optional<uint64_t> number = parse_decimal(text.substr(0, digits));
  if (!number || *number > std::numeric_limits<uint64_t>::max() / *factor) {
    return rejected<uint64_t>("is too large");
  }
  return Parsed<uint64_t>{*number * *factor, {}};
}

Parsed<std::chrono::milliseconds> check_duration(std::string_view text) {
  using Result = Parsed<std::chrono::milliseconds>;
  if (text == "0") return Result{std::chrono::milliseconds{0}, {}};
  const Parsed<uint64_t> parsed =
      parse_with_unit(text, kDurationUnits, true, "ms, s, m or h", "e.g. 250ms, 10s, 30m, 1h");
  if (!parsed.value) return rejected<std::chrono::milliseconds>(parsed.error);
  using Rep = std::chrono::milliseconds::rep;
  if (*parsed.value > static_cast<uint64_t>(std::numeric_limits<Rep>::max())) {
    return rejected<std::chrono::milliseconds>("is too large");
  }
  return Result{std::chrono::milliseconds{static_cast<Rep>(*parsed.value)}, {}};
}

Parsed<uint64_t> check_size(std::string_view text) {
  return parse_with_unit(text, kSizeUnits, false, "KiB, MiB or GiB; a bare number is bytes",
                         "e.g. 4096, 64KiB, 32MiB, 1GiB");
}

template <std::size_t N>
std::string format_with_units(uint64_t value, const std::array<Unit, N>& units) {
  for (const Unit& unit : units) {
    if (value != 0 && value % unit.factor == 0) {
      return std::to_string(value / unit.factor) + std::string(unit.suffix);
    }
  }
  return std::to_string(value);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  return check_duration(text).value;
}

std::string duration_error(std::string_view text) {
  return check_duration(text).error;
}

std::optional<uint64_t> parse_size(std::string_view text) {
  return check_size(text).value;
}

std::string size_error(std::string_view text) {
  return check_size(text).error;
}

std::string format_size(uint64_t bytes) {
  return format_with_units(bytes, kSizeUnits);
}

std::string format_duration(std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return std::to_string(duration.count());
  return format_with_units(static_cast<uint64_t>(duration.count()), kDurationUnits);
}

}  // namespace flowd
