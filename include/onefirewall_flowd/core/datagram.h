#pragma once

#include <chrono>
#include <cstdint>
#include <span>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// One UDP payload as received, with where it came from. The payload is
// borrowed from the receive buffer and is valid only during processing.
struct Datagram {
  IpAddress exporter;
  uint16_t exporter_port = 0;
  std::span<const uint8_t> payload;
  std::chrono::system_clock::time_point received;
};

}  // namespace flowd
