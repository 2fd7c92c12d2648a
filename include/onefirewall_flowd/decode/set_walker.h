#pragma once

#include <cstdint>

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/decode_stats.h"

namespace flowd {

// Walks the sets (v9 FlowSets) of one message: each is a 16-bit id and a
// 16-bit length that includes the 4-byte set header. Fewer than 4 bytes, or
// only zero bytes, at the end are padding; a lying length ends the walk.
class SetWalker {
 public:
  explicit SetWalker(ByteReader sets) : sets_(sets) {}

  // The next set's id and a reader over exactly its body; false at the end.
  [[nodiscard]] bool next(uint16_t& id, ByteReader& body);
  // Why the walk ended early, or kNone if it reached the end cleanly.
  [[nodiscard]] DecodeError error() const { return error_; }

 private:
  ByteReader sets_;
  DecodeError error_ = DecodeError::kNone;
};

}  // namespace flowd
