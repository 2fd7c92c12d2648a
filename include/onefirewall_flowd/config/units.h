#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowd {

// "250ms", "10s", "30m", "1h", or "0". A bare number other than 0 is rejected
// so that a unit is never guessed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// "512", "64KiB", "32MiB", "1GiB" (a bare number is bytes).
std::optional<uint64_t> parse_size(std::string_view text);

// "host:port", "[v6]:port"; host must be a literal address.
struct Endpoint;
std::optional<Endpoint> parse_endpoint(std::string_view text);

// Why the matching parse_* function rejects text, phrased to follow the quoted
// value (e.g. "has no unit (use ms, s, m or h)"); empty when the text parses.
std::string duration_error(std::string_view text);
std::string size_error(std::string_view text);
std::string endpoint_error(std::string_view text);

// "1GiB", "512KiB", "100": the largest unit that writes the size exactly.
std::string format_size(uint64_t bytes);
// "1h", "30m", "250ms": the largest unit that writes the duration exactly.
std::string format_duration(std::chrono::milliseconds duration);
// "1.2.3.4:2055", "[::]:2055".
std::string format_endpoint(const Endpoint& endpoint);

}  // namespace flowd
