#include "onefirewall_flowd/deliver/admission.h"

#include <array>
#include <cstring>

namespace flowd {

std::string host_key(const IpAddress& address) {
  const auto& bytes = address.bytes();
  return std::string(bytes.begin() + (address.is_v4() ? 12 : 0), bytes.end());
}

std::string host_text(const std::string& key) {
  if (key.size() == 4) {
    uint32_t v4 = 0;
    for (const char c : key) v4 = v4 << 8 | static_cast<uint8_t>(c);
    return IpAddress::from_v4(v4).to_string();
  }
  if (key.size() == 16) {
    std::array<uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), key.data(), bytes.size());
    return IpAddress::from_v6(bytes).to_string();
  }
  return "unknown";
}

}  // namespace flowd
