#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/decode_stats.h"

namespace flowd {

// Walks the sets (v9 FlowSets) of one message: each is a 16-bit id and a
// 16-bit length that includes the 4-byte set header. Fewer than 4 bytes, or
// only zero bytes, at the end are padding; a lying length ends the walk.
class SetWalker {
 public:
  // Walks every byte of sets.
  explicit SetWalker(ByteReader sets) : sets_(sets), message_left_(sets.remaining()) {}
  // Walks the first message_length bytes of sets. A set that starts within
  // them but ends after them, though within sets, is taken whole and ends the
  // walk: some exporters write a message length a few bytes short.
  SetWalker(ByteReader sets, size_t message_length)
      : sets_(sets), message_left_(std::min(message_length, sets.remaining())), lenient_(true) {}

  // The next set's id and a reader over exactly its body; false at the end.
  [[nodiscard]] bool next(uint16_t& id, ByteReader& body);
  // Why the walk ended early, or kNone if it reached the end cleanly.
  [[nodiscard]] DecodeError error() const { return error_; }
  // Whether a set ran past the message length (lenient walks only).
  [[nodiscard]] bool overran() const { return overran_; }
  // Bytes of sets walked so far, the set that overran included.
  [[nodiscard]] size_t walked() const { return sets_.position(); }

 private:
  ByteReader sets_;
  size_t message_left_;  // bytes of the message not yet walked
  bool lenient_ = false;
  bool overran_ = false;
  DecodeError error_ = DecodeError::kNone;
};

}  // namespace flowd
