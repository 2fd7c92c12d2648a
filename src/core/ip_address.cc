#include "onefirewall_flowd/core/ip_address.h"

#include <arpa/inet.h>

#include <charconv>

namespace flowd {

IpAddress IpAddress::from_v6(const std::array<uint8_t, 16>& bytes) {
  IpAddress a;
  a.bytes_ = bytes;
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  text.copy(buf, text.size());
  in_addr v4{};
  if (inet_pton(AF_INET, buf, &v4) == 1) return from_v4(ntohl(v4.s_addr));
  std::array<uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, buf, v6.data()) == 1) return from_v6(v6);
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes_.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes_.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  const unsigned max_length = address->is_v4() ? 32 : 128;
  unsigned length = max_length;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty() || length > max_length) {
      return std::nullopt;
    }
  }
  Cidr cidr{*address, static_cast<uint8_t>(length)};
  // Host bits set below the prefix are an operator mistake worth rejecting.
  const unsigned bits = address->is_v4() ? length + 96 : length;
  const auto& b = address->bytes();
  for (unsigned i = bits; i < 128; ++i) {
    if (b[i / 8] & (0x80u >> (i % 8))) return std::nullopt;
  }
  return cidr;
}

bool Cidr::contains(const IpAddress& address) const {
  if (network.is_v4() != address.is_v4()) return false;
  const unsigned bits = network.is_v4() ? length + 96u : length;
  const auto& a = network.bytes();
  const auto& b = address.bytes();
  const unsigned whole = bits / 8;
  for (unsigned i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff00u >> rest);
  return (a[whole] & mask) == (b[whole] & mask);
}

std::string Cidr::to_string() const {
  return network.to_string() + "/" + std::to_string(length);
}

}  // namespace flowd
