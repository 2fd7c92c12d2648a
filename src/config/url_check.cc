#include "url_check.h"

#include <algorithm>
#include <optional>

#include "number_text.h"
#include "onefirewall_flowd/core/ip_address.h"
#include "quote.h"

namespace flowd::config_detail {
namespace {

bool is_host_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool has_space_or_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

std::optional<std::string_view> strip_scheme(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (url.substr(0, scheme.size()) == scheme) return url.substr(scheme.size());
  }
  return std::nullopt;
}

std::string port_error(std::string_view port) {
  const auto number = parse_decimal(port);
  if (!number || *number == 0 || *number > 65535) {
    return "has port " + quote(port) + ", but the port must be 1..65535";
  }
  return {};
}

std::string bracketed_host_error(std::string_view authority) {
  const auto close = authority.find(']');
  if (close == std::string_view::npos) return "has an unclosed '[' in the host";
  const auto address = IpAddress::parse(authority.substr(1, close - 1));
  if (!address) {
    return "has " + quote(authority.substr(0, close + 1)) + ", which is not an IPv6 address";
  }
  const std::string_view rest = authority.substr(close + 1);
  if (rest.empty()) return {};
  if (rest.front() != ':') return "has text after the ']' of the host";
  return port_error(rest.substr(1));
}

std::string authority_error(std::string_view authority) {
  if (authority.empty()) return "has no host";
  if (authority.find('@') != std::string_view::npos) {
    return "must not carry credentials; the token goes in the file named by api.token_file";
  }
  if (authority.front() == '[') return bracketed_host_error(authority);
  const auto colon = authority.find(':');
  const std::string_view host = authority.substr(0, colon);
  if (host.empty()) return "has no host";
  if (!std::all_of(host.begin(), host.end(), is_host_name_char)) {
    return "has host " + quote(host) + ", which is not a valid host name";
  }
  return colon == std::string_view::npos ? std::string{} : port_error(authority.substr(colon + 1));
}

}  // namespace

std::string url_error(std::string_view url) {
  if (url.empty()) return "is empty";
  if (has_space_or_control(url)) return "contains spaces or control characters";
  const std::optional<std::string_view> after_scheme = strip_scheme(url);
  if (!after_scheme) return "must start with https:// or http://";
  return authority_error(after_scheme->substr(0, after_scheme->find_first_of("/?#")));
}

}  // namespace flowd::config_detail
