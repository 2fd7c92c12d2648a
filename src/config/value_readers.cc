#include "value_readers.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "number_text.h"
#include "onefirewall_flowd/config/units.h"
#include "suggest.h"
#include "url_check.h"

namespace flowd::config_detail {
namespace {

constexpr auto kTrueWords = std::to_array<std::string_view>({"true", "True", "TRUE"});
constexpr auto kFalseWords = std::to_array<std::string_view>({"false", "False", "FALSE"});
constexpr auto kLogLevelNames =
    std::to_array<std::string_view>({"trace", "debug", "info", "warn", "error", "critical", "off"});

bool contains(std::span<const std::string_view> words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Phrases the range of a number; `unbounded` leaves the upper end out.
std::string range_text(const std::string& min, const std::string& max, bool unbounded = false) {
  if (unbounded) return " is out of range (must be at least " + min + ")";
  return " is out of range (must be " + min + ".." + max + ")";
}

std::string near_miss_hint(std::string_view text, std::span<const std::string_view> candidates) {
  const auto near = closest_match(text, candidates);
  return near ? "; did you mean '" + std::string(*near) + "'?" : std::string{};
}

// The scalar text of a number or bool: YAML quotes make it a string instead.
std::string unquoted_scalar(const Field& field, std::string_view expected) {
  std::string text = field.scalar(expected);
  if (field.is_quoted()) field.fail("expected " + std::string(expected) + ", got the string " + quote(text));
  return text;
}

// The network of `address` with the bits past `length` cleared.
IpAddress masked(const IpAddress& address, unsigned length) {
  std::array<uint8_t, 16> bytes = address.bytes();
  const unsigned first_host_bit = address.is_v4() ? length + 96 : length;
  for (unsigned bit = first_host_bit; bit < 128; ++bit) {
    bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return IpAddress::from_v6(bytes);
}

// A prefix that only fails for its host bits gets the network it probably meant.
std::string cidr_problem(const std::string& text) {
  const auto slash = text.find('/');
  const auto address = IpAddress::parse(std::string_view(text).substr(0, slash));
  const auto length =
      slash == std::string::npos ? std::nullopt : parse_decimal(std::string_view(text).substr(slash + 1));
  if (!address || !length || *length > (address->is_v4() ? 32u : 128u)) {
    return quote(text) + " is not an address/prefix";
  }
  const std::string meant =
      masked(*address, static_cast<unsigned>(*length)).to_string() + "/" + std::to_string(*length);
  return quote(text) + " has bits set past the prefix length (did you mean '" + meant + "'?)";
}

struct ProtocolName {
  std::string_view name;
  uint8_t number;
};

constexpr std::array<ProtocolName, 15> kProtocolNames = {{
    {"icmp", 1},
    {"igmp", 2},
    {"tcp", 6},
    {"udp", 17},
    {"gre", 47},
    {"esp", 50},
    {"ah", 51},
    {"icmpv6", 58},
    {"ipv6-icmp", 58},
    {"eigrp", 88},
    {"ospf", 89},
    {"pim", 103},
    {"vrrp", 112},
    {"sctp", 132},
    {"udplite", 136},
}};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::optional<uint8_t> protocol_by_name(std::string_view text) {
  std::string folded(text);
  std::transform(folded.begin(), folded.end(), folded.begin(), lower);
  for (const ProtocolName& protocol : kProtocolNames) {
    if (protocol.name == folded) return protocol.number;
  }
  return std::nullopt;
}

}  // namespace

bool read_bool(const Field& field) {
  const std::string text = unquoted_scalar(field, "true or false");
  if (contains(kTrueWords, text)) return true;
  if (contains(kFalseWords, text)) return false;
  field.fail("expected true or false, got " + quote(text));
}

uint64_t read_unsigned(const Field& field, uint64_t min, uint64_t max) {
  const std::string text = unquoted_scalar(field, "a whole number");
  const std::string range = range_text(std::to_string(min), std::to_string(max));
  const std::string_view digits = std::string_view(text).substr(text.starts_with('-') ? 1 : 0);
  if (digits.empty() || leading_digits(digits) != digits.size()) {
    field.fail(quote(text) + " is not a whole number");
  }
  const std::optional<uint64_t> value = parse_decimal(text);  // nullopt when negative or huge
  if (!value || *value < min || *value > max) field.fail(quote(text) + range);
  return *value;
}

std::string read_text(const Field& field) {
  return field.scalar("a text value");
}

std::string read_nonempty_text(const Field& field) {
  std::string text = read_text(field);
  if (text.empty()) field.fail("must not be empty");
  const bool has_control = std::any_of(
      text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (has_control) field.fail(quote(text) + " contains a control character");
  return text;
}

std::chrono::milliseconds read_duration(const Field& field, bool zero_allowed) {
  const std::string text = field.scalar("a duration such as 10s");
  const std::optional<std::chrono::milliseconds> value = parse_duration(text);
  if (!value) field.fail(quote(text) + " " + duration_error(text));
  if (value->count() == 0 && !zero_allowed) field.fail(quote(text) + " must be greater than zero");
  return *value;
}

std::chrono::milliseconds read_duration_in(const Field& field, std::chrono::milliseconds min,
                                           std::chrono::milliseconds max, bool zero_allowed) {
  const std::chrono::milliseconds value = read_duration(field, zero_allowed);
  if (value.count() == 0 && zero_allowed) return value;
  if (value < min || value > max) {
    const std::string lowest = (zero_allowed ? "0 or " : "") + format_duration(min);
    field.fail(quote(field.node().Scalar()) + range_text(lowest, format_duration(max)));
  }
  return value;
}

uint64_t read_size(const Field& field, uint64_t min, uint64_t max) {
  const std::string text = field.scalar("a size such as 32MiB");
  const std::optional<uint64_t> value = parse_size(text);
  if (!value) field.fail(quote(text) + " " + size_error(text));
  if (*value < min || *value > max) {
    const bool unbounded = max == std::numeric_limits<uint64_t>::max();
    field.fail(quote(text) + range_text(format_size(min), format_size(max), unbounded));
  }
  return *value;
}

Endpoint read_endpoint(const Field& field) {
  const std::string text = field.scalar("an endpoint such as 0.0.0.0:2055");
  const std::optional<Endpoint> endpoint = parse_endpoint(text);
  if (!endpoint) field.fail(quote(text) + " " + endpoint_error(text));
  return *endpoint;
}

Cidr read_cidr(const Field& field) {
  const std::string text = field.scalar("an address/prefix");
  const std::optional<Cidr> cidr = Cidr::parse(text);
  if (!cidr) field.fail(cidr_problem(text));
  return *cidr;
}

IpAddress read_ip(const Field& field) {
  const std::string text = field.scalar("an IP address");
  const std::optional<IpAddress> address = IpAddress::parse(text);
  if (!address) field.fail(quote(text) + " is not an IP address");
  return *address;
}

Action read_action(const Field& field) {
  const std::string text = field.scalar("Allow or Deny");
  const std::optional<Action> action = parse_action(text);
  if (!action) field.fail(quote(text) + " is not an action (use Allow or Deny)");
  return *action;
}

LogLevel read_log_level(const Field& field) {
  const std::string text = field.scalar("a log level");
  const std::optional<LogLevel> level = parse_log_level(text);
  if (!level) {
    field.fail(quote(text) + " is not a log level (use trace, debug, info, warn, error, critical or off)" +
               near_miss_hint(text, kLogLevelNames));
  }
  return *level;
}

std::string read_url(const Field& field) {
  std::string text = field.scalar("a URL");
  const std::string problem = url_error(text);
  if (!problem.empty()) field.fail(quote(text) + " " + problem);
  return text;
}

uint8_t read_protocol(const Field& field) {
  const std::string text = field.scalar("a protocol name or number");
  if (const auto number = parse_decimal(text)) {
    if (*number > 255) field.fail(quote(text) + range_text("0", "255"));
    return static_cast<uint8_t>(*number);
  }
  const std::optional<uint8_t> number = protocol_by_name(text);
  if (!number) {
    field.fail(quote(text) + " is not a protocol (use tcp, udp, sctp, icmp, ... or a number 0..255)");
  }
  return *number;
}

}  // namespace flowd::config_detail
