#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string_view>

namespace flowd {

// A short text kept inline, so that learning it allocates nothing beyond its
// table node; longer text is cut, and a NUL ends it (Cisco pads with NULs).
class ShortText {
 public:
  static constexpr size_t kMaxLength = 64;

  void assign(std::span<const uint8_t> bytes) {
    const auto end = std::find(bytes.begin(), bytes.end(), uint8_t{0});
    length_ = static_cast<uint8_t>(std::min<size_t>(static_cast<size_t>(end - bytes.begin()), kMaxLength));
    std::copy_n(bytes.begin(), length_, bytes_.begin());
  }
  [[nodiscard]] std::string_view view() const { return {bytes_.data(), length_}; }

 private:
  std::array<char, kMaxLength> bytes_{};
  uint8_t length_ = 0;
};

// What an exporter announced of one interface in options data (IEs 82, 83).
struct InterfaceLabel {
  ShortText name;
  ShortText description;
};

// One (exporter, domain)'s interfaces by SNMP index (ingress/egressInterface).
using InterfaceTable = std::map<uint32_t, InterfaceLabel>;

}  // namespace flowd
