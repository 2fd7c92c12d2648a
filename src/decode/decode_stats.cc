#include "onefirewall_flowd/decode/decode_stats.h"

namespace flowd {

std::string_view to_string(DecodeError error) {
  switch (error) {
    case DecodeError::kNone: return "none";
    case DecodeError::kTruncatedHeader: return "truncated_header";
    case DecodeError::kUnsupportedVersion: return "unsupported_version";
    case DecodeError::kV5BadCount: return "v5_bad_count";
    case DecodeError::kV5Truncated: return "v5_truncated";
    case DecodeError::kCount: break;
  }
  return "unknown";
}

}  // namespace flowd
