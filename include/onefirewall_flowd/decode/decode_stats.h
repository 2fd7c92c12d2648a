#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "onefirewall_flowd/core/counter.h"

namespace flowd {

// Why a datagram (or part of one) was not decoded. kNone means success.
enum class DecodeError : uint8_t {
  kNone,
  kTruncatedHeader,     // too short to carry a version and header
  kUnsupportedVersion,  // not 5, 9 or 10
  kV5BadCount,          // header count outside 1..30
  kV5Truncated,         // fewer bytes than count records need
  kCount
};

[[nodiscard]] std::string_view to_string(DecodeError error);

struct DecodeStats {
  Counter datagrams;  // every datagram offered to the decoder
  Counter flows;      // flow records produced
  ReasonCounters<DecodeError> errors;
};

}  // namespace flowd
