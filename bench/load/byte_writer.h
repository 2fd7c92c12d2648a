// Big-endian writer into a fixed buffer, for the load tool's encoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace flowd::load {

class ByteWriter {
 public:
  explicit ByteWriter(std::span<uint8_t> buffer) : buffer_(buffer) {}

  void u8(uint8_t v) { buffer_[pos_++] = v; }
  void u16(uint16_t v) {
    u8(static_cast<uint8_t>(v >> 8));
    u8(static_cast<uint8_t>(v));
  }
  void u32(uint32_t v) {
    u16(static_cast<uint16_t>(v >> 16));
    u16(static_cast<uint16_t>(v));
  }
  void u64(uint64_t v) {
    u32(static_cast<uint32_t>(v >> 32));
    u32(static_cast<uint32_t>(v));
  }
  void zeros(size_t n) {
    for (size_t i = 0; i < n; ++i) u8(0);
  }
  // Rewrites a 16-bit field already written, e.g. a length known only at the end.
  void patch_u16(size_t at, uint16_t v) {
    buffer_[at] = static_cast<uint8_t>(v >> 8);
    buffer_[at + 1] = static_cast<uint8_t>(v);
  }

  size_t size() const { return pos_; }
  size_t room() const { return buffer_.size() - pos_; }

 private:
  std::span<uint8_t> buffer_;
  size_t pos_ = 0;
};

}  // namespace flowd::load
