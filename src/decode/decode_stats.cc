#include "onefirewall_flowd/decode/decode_stats.h"

namespace flowd {

std::string_view to_string(DecodeError error) {
  switch (error) {
    case DecodeError::kNone: return "none";
    case DecodeError::kTruncatedHeader: return "truncated_header";
    case DecodeError::kUnsupportedVersion: return "unsupported_version";
    case DecodeError::kV5BadCount: return "v5_bad_count";
    case DecodeError::kV5Truncated: return "v5_truncated";
    case DecodeError::kIpfixBadLength: return "ipfix_bad_length";
    case DecodeError::kIpfixTrailingBytes: return "ipfix_trailing_bytes";
    case DecodeError::kIpfixLengthMismatch: return "ipfix_length_mismatch";
    case DecodeError::kSetLengthInvalid: return "set_length_invalid";
    case DecodeError::kSetTruncated: return "set_truncated";
    case DecodeError::kBadTemplate: return "bad_template";
    case DecodeError::kBadOptionsTemplate: return "bad_options_template";
    case DecodeError::kZeroLengthTemplate: return "zero_length_template";
    case DecodeError::kBadRecord: return "bad_record";
    case DecodeError::kTemplateCapExceeded: return "template_cap_exceeded";
    case DecodeError::kDomainCapExceeded: return "domain_cap_exceeded";
    case DecodeError::kExporterCapExceeded: return "exporter_cap_exceeded";
    case DecodeError::kUnlistedExporter: return "unlisted_exporter";
    case DecodeError::kPendingExpired: return "pending_expired";
    case DecodeError::kPendingOverflow: return "pending_overflow";
    case DecodeError::kInterfaceCapExceeded: return "interface_cap_exceeded";
    case DecodeError::kVrfCapExceeded: return "vrf_cap_exceeded";
    case DecodeError::kCount: break;
  }
  return "unknown";
}

}  // namespace flowd
