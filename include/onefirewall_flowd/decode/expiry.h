#pragma once

#include <chrono>

namespace flowd {

// Whether more than lifetime has passed from since to now. Compared in whole
// seconds first, so a lifetime too long for the clock's nanoseconds (up to
// seconds::max()) never overflows: it just never ends.
[[nodiscard]] inline bool outlived(std::chrono::system_clock::time_point since,
                                   std::chrono::system_clock::time_point now, std::chrono::seconds lifetime) {
  if (now <= since) return false;
  const auto elapsed = now - since;
  const auto whole = std::chrono::floor<std::chrono::seconds>(elapsed);
  return whole > lifetime || (whole == lifetime && elapsed > whole);
}

}  // namespace flowd
