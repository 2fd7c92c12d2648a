#include "onefirewall_flowd/decode/byte_reader.h"

#include <cstring>

namespace flowd {

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
