#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowd {

// An IPv4 or IPv6 address. IPv4 is stored v4-mapped (::ffff:a.b.c.d) so that
// both families share one 16-byte representation and one comparison.
class IpAddress {
 public:
  IpAddress() = default;

  static IpAddress from_v4(uint32_t host_order);
  static IpAddress from_v6(const std::array<uint8_t, 16>& bytes);
  static std::optional<IpAddress> parse(std::string_view text);

  [[nodiscard]] bool is_v4() const;
  [[nodiscard]] uint32_t v4() const;  // host order; only meaningful when is_v4()
  [[nodiscard]] const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  [[nodiscard]] std::string to_string() const;

  auto operator<=>(const IpAddress&) const = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

// An address prefix. For IPv4 the length is kept as written (0..32); the
// match happens on the mapped form.
struct Cidr {
  IpAddress network;
  uint8_t length = 0;

  static std::optional<Cidr> parse(std::string_view text);
  [[nodiscard]] bool contains(const IpAddress& address) const;
  [[nodiscard]] std::string to_string() const;
  bool operator==(const Cidr&) const = default;
};

}  // namespace flowd
