#include "onefirewall_flowd/decode/set_walker.h"

#include <algorithm>

namespace flowd {
namespace {

bool all_zero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

bool SetWalker::next(uint16_t& id, ByteReader& body) {
  if (error_ != DecodeError::kNone || overran_ || message_left_ < 4) return false;
  // Some exporters zero-fill the datagram after the last set.
  if (all_zero(sets_.rest().first(message_left_))) return false;
  uint16_t length = 0;
  if (!sets_.read_u16(id) || !sets_.read_u16(length)) return false;
  message_left_ -= 4;
  if (length < 4) {
    error_ = DecodeError::kSetLengthInvalid;
    return false;
  }
  const size_t body_length = length - 4u;
  if (body_length > message_left_ && lenient_ && body_length <= sets_.remaining()) {
    overran_ = true;
    message_left_ = body_length;
  }
  if (body_length > message_left_ || !sets_.sub_reader(body_length, body)) {
    error_ = DecodeError::kSetTruncated;
    return false;
  }
  message_left_ -= body_length;
  return true;
}

}  // namespace flowd
