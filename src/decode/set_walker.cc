#include "onefirewall_flowd/decode/set_walker.h"

#include <algorithm>

namespace flowd {
namespace {

bool all_zero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

bool SetWalker::next(uint16_t& id, ByteReader& body) {
  if (error_ != DecodeError::kNone || sets_.remaining() < 4) return false;
  // Some exporters zero-fill the datagram after the last set.
  if (all_zero(sets_.rest())) return false;
  uint16_t length = 0;
  if (!sets_.read_u16(id) || !sets_.read_u16(length)) return false;
  if (length < 4) {
    error_ = DecodeError::kSetLengthInvalid;
    return false;
  }
  if (!sets_.sub_reader(length - 4u, body)) {
    error_ = DecodeError::kSetTruncated;
    return false;
  }
  return true;
}

}  // namespace flowd
