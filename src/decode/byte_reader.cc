#include "onefirewall_flowd/decode/byte_reader.h"

#include <cstring>

namespace flowd {

bool ByteReader::read_uint(size_t width, uint64_t& out) {
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

bool ByteReader::read_u32(uint32_t& out) {
  uint64_t v = 0;
  if (!read_uint(4, v)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

bool ByteReader::read_u64(uint64_t& out) {
  return read_uint(8, out);
}

bool ByteReader::read_bytes(std::span<uint8_t> out) {
  if (!can_read(out.size())) return false;
  if (!out.empty()) std::memcpy(out.data(), data_.data() + pos_, out.size());
  pos_ += out.size();
  return true;
}

bool ByteReader::sub_reader(size_t n, ByteReader& out) {
  if (!can_read(n)) return false;
  out = ByteReader(data_.subspan(pos_, n));
  pos_ += n;
  return true;
}

}  // namespace flowd
