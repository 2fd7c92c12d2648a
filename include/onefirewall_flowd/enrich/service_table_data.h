#pragma once

#include <cstddef>
#include <cstdint>

namespace flowd::generated {

struct ServiceEntry {
  uint8_t protocol;
  uint16_t port;
  const char* name;
};

struct ProtocolEntry {
  uint8_t number;
  const char* name;
};

// Sorted by (protocol, port); generated at build time from netbase.
extern const ServiceEntry kServices[];
extern const size_t kServiceCount;
extern const ProtocolEntry kProtocols[];
extern const size_t kProtocolCount;

}  // namespace flowd::generated
