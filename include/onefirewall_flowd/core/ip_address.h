#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace flowd {

// An IPv4 or IPv6 address. IPv4 is stored v4-mapped (::ffff:a.b.c.d) so that
// both families share one 16-byte representation and one comparison.
class IpAddress {
 public:
  IpAddress() = default;

  // Two word stores: byte by byte, the compiler kept six separate stores.
  static IpAddress from_v4(uint32_t host_order) {
    const uint32_t wire = std::endian::native == std::endian::little ? __builtin_bswap32(host_order) : host_order;
    const uint64_t low = std::endian::native == std::endian::little
                             ? uint64_t{kV4MappedMiddle} | uint64_t{wire} << 32
                             : uint64_t{kV4MappedMiddle} << 32 | wire;
    IpAddress a;
    std::memcpy(a.bytes_.data() + 8, &low, sizeof low);
    return a;
  }
  static IpAddress from_v6(const std::array<uint8_t, 16>& bytes);
  static std::optional<IpAddress> parse(std::string_view text);

  // Inline: the hot path asks this of every address of every flow.
  [[nodiscard]] bool is_v4() const {
    uint64_t high = 0;
    uint32_t middle = 0;
    std::memcpy(&high, bytes_.data(), 8);
    std::memcpy(&middle, bytes_.data() + 8, 4);
    return high == 0 && middle == kV4MappedMiddle;
  }
  // Host order; only meaningful when is_v4().
  [[nodiscard]] uint32_t v4() const {
    return (uint32_t{bytes_[12]} << 24) | (uint32_t{bytes_[13]} << 16) | (uint32_t{bytes_[14]} << 8) |
           uint32_t{bytes_[15]};
  }
  [[nodiscard]] const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  [[nodiscard]] std::string to_string() const;

  auto operator<=>(const IpAddress&) const = default;
  // Two word compares, not a memcmp call: the hot path compares addresses per flow.
  bool operator==(const IpAddress& other) const {
    uint64_t a[2], b[2];
    std::memcpy(a, bytes_.data(), 16);
    std::memcpy(b, other.bytes_.data(), 16);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }

 private:
  // Bytes 8..11 of ::ffff:a.b.c.d (0, 0, ff, ff) read as a native-order word.
  static constexpr uint32_t kV4MappedMiddle =
      std::endian::native == std::endian::little ? 0xffff0000u : 0x0000ffffu;

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
