#pragma once

// Appends numbers in network byte order, for tests that build packets.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flowd::test {

inline void put16(std::vector<uint8_t>& out, size_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value));
}

inline void put32(std::vector<uint8_t>& out, uint32_t value) {
  put16(out, value >> 16);
  put16(out, value & 0xffff);
}

}  // namespace flowd::test
