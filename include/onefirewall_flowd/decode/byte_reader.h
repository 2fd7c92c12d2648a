#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace flowd {

// Big-endian loads from bytes whose length the caller has already checked.
[[nodiscard]] inline uint16_t load_be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
[[nodiscard]] inline uint32_t load_be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}
[[nodiscard]] inline uint64_t load_be64(const uint8_t* p) {
  return uint64_t{load_be32(p)} << 32 | load_be32(p + 4);
}

// A bounds-checked big-endian reader over untrusted bytes. Every read returns
// false when too few bytes remain, and after the first failure every read
// fails, so a caller may check once at the end of a sequence of reads.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}

  [[nodiscard]] bool read_u8(uint8_t& out) {
    if (!can_read(1)) return false;
    out = data_[pos_++];
    return true;
  }
  [[nodiscard]] bool read_u16(uint16_t& out) {
    if (!can_read(2)) return false;
    out = load_be16(data_.data() + pos_);
    pos_ += 2;
    return true;
  }
  [[nodiscard]] bool read_u32(uint32_t& out) {
    if (!can_read(4)) return false;
    out = load_be32(data_.data() + pos_);
    pos_ += 4;
    return true;
  }
  [[nodiscard]] bool read_u64(uint64_t& out) {
    if (!can_read(8)) return false;
    out = load_be64(data_.data() + pos_);
    pos_ += 8;
    return true;
  }
  // An unsigned big-endian integer of 1..8 bytes.
  [[nodiscard]] bool read_uint(size_t width, uint64_t& out) {
    if (width == 0 || width > 8 || !can_read(width)) {
      failed_ = true;
      return false;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < width; ++i) value = (value << 8) | data_[pos_ + i];
    pos_ += width;
    out = value;
    return true;
  }
  [[nodiscard]] bool read_bytes(std::span<uint8_t> out);
  // A view of the next n bytes, which this reader then skips.
  [[nodiscard]] bool read_view(size_t n, std::span<const uint8_t>& out) {
    if (!can_read(n)) return false;
    out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  [[nodiscard]] bool skip(size_t n) {
    if (!can_read(n)) return false;
    pos_ += n;
    return true;
  }
  // A reader over exactly the next n bytes, which this reader then skips.
  [[nodiscard]] bool sub_reader(size_t n, ByteReader& out);

  [[nodiscard]] size_t remaining() const { return failed_ ? 0 : data_.size() - pos_; }
  [[nodiscard]] size_t position() const { return pos_; }
  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] bool empty() const { return remaining() == 0; }
  [[nodiscard]] std::span<const uint8_t> rest() const { return data_.subspan(failed_ ? data_.size() : pos_); }

 private:
  // pos_ <= size always holds, so size - pos_ cannot underflow.
  [[nodiscard]] bool can_read(size_t n) {
    if (!failed_ && n <= data_.size() - pos_) return true;
    failed_ = true;
    return false;
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace flowd
