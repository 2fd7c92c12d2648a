#include <algorithm>
#include <utility>

#include "number_text.h"
#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/config/units.h"
#include "quote.h"

namespace flowd {
namespace {

struct ParsedEndpoint {
  std::optional<Endpoint> value;
  std::string error;
};

ParsedEndpoint rejected(std::string why) {
  return ParsedEndpoint{std::nullopt, std::move(why)};
}

struct HostAndPort {
  std::string_view host;
  std::string_view port;
  bool bracketed = false;
};

// Splits "a.b.c.d:port" or "[v6]:port"; the error says what is malformed.
std::optional<HostAndPort> split_host_port(std::string_view text, std::string& error) {
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      error = "has an unclosed '['";
      return std::nullopt;
    }
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      error = "needs a port after ']' (e.g. [::]:2055)";
      return std::nullopt;
    }
    return HostAndPort{text.substr(1, close - 1), text.substr(close + 2), true};
  }
  const auto colons = std::count(text.begin(), text.end(), ':');
  if (colons == 0) {
    error = "needs a port (e.g. 0.0.0.0:2055)";
    return std::nullopt;
  }
  if (colons > 1) {
    error = "needs brackets around an IPv6 address (e.g. [::]:2055)";
    return std::nullopt;
  }
  const auto colon = text.find(':');
  return HostAndPort{text.substr(0, colon), text.substr(colon + 1), false};
}

std::optional<IpAddress> parse_host(const HostAndPort& parts, std::string& error) {
  const std::optional<IpAddress> address = IpAddress::parse(parts.host);
  const bool looks_v6 = parts.host.find(':') != std::string_view::npos;
  if (!address) {
    error = "has host " + config_detail::quote(parts.host) +
            ", but the host must be a literal IP address (names are not resolved)";
    return std::nullopt;
  }
  if (parts.bracketed != looks_v6) {
    error = parts.bracketed ? "has brackets around an IPv4 address" : "needs brackets around an IPv6 address";
    return std::nullopt;
  }
  return address;
}

std::optional<uint16_t> parse_port(std::string_view text, std::string& error) {
  if (text.empty()) {
    error = "needs a port after ':'";
    return std::nullopt;
  }
  const std::optional<uint64_t> port = config_detail::parse_decimal(text);
  if (!port || *port == 0 || *port > 65535) {
    error = "has port " + config_detail::quote(text) + ", but the port must be 1..65535";
    return std::nullopt;
  }
  return static_cast<uint16_t>(*port);
}

ParsedEndpoint check_endpoint(std::string_view text) {
  if (text.empty()) return rejected("is empty");
  std::string error;
  const std::optional<HostAndPort> parts = split_host_port(text, error);
  if (!parts) return rejected(error);
  const std::optional<IpAddress> address = parse_host(*parts, error);
  if (!address) return rejected(error);
  const std::optional<uint16_t> port = parse_port(parts->port, error);
  if (!port) return rejected(error);
  return ParsedEndpoint{Endpoint{*address, *port}, {}};
}

}  // namespace

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  return check_endpoint(text).value;
}

std::string endpoint_error(std::string_view text) {
  return check_endpoint(text).error;
}

std::string format_endpoint(const Endpoint& endpoint) {
  const std::string host = endpoint.address.to_string();
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(endpoint.port);
}

}  // namespace flowd
