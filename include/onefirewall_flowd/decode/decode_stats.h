#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "onefirewall_flowd/core/counter.h"

namespace flowd {

// Why a datagram (or part of one) was not decoded. kNone means success.
// v9 and IPFIX count one error per set or record dropped, so a datagram may
// yield records and errors both.
enum class DecodeError : uint8_t {
  kNone,
  kTruncatedHeader,       // too short to carry a version and header
  kUnsupportedVersion,    // not 5, 9 or 10
  kV5BadCount,            // header count outside 1..30
  kV5Truncated,           // fewer bytes than count records need
  kIpfixBadLength,        // message length below the header or beyond the datagram
  kIpfixTrailingBytes,    // bytes after the last message that are no whole message
  kIpfixLengthMismatch,   // a message length short of its last set; the set was decoded all the same
  kSetLengthInvalid,      // a set length below its own 4-byte header
  kSetTruncated,          // a set length beyond the end of the message
  kBadTemplate,           // a template record that is malformed or lies about its size
  kBadOptionsTemplate,    // an options template record likewise
  kZeroLengthTemplate,    // data for a template whose records take no bytes
  kBadRecord,             // a data record that overruns its set
  kTemplateCapExceeded,   // a domain already holds the maximum number of templates
  kDomainCapExceeded,     // an exporter already has the maximum number of domains
  kExporterCapExceeded,   // the maximum number of exporters is already tracked
  kUnlistedExporter,      // v9/IPFIX from an unlisted exporter while accept_unknown is false
  kPendingExpired,        // data held for a template that never came in time
  kPendingOverflow,       // data held for a template, dropped to respect the caps
  kInterfaceCapExceeded,  // an interface name not learned: a domain or the cache holds the maximum
  kVrfCapExceeded,        // a VRF name not learned: a domain or the cache holds the maximum
  kCount
};

[[nodiscard]] std::string_view to_string(DecodeError error);

struct DecodeStats {
  Counter datagrams;          // every datagram offered to the decoder
  Counter flows;              // flow records produced
  Counter templates_learned;  // template and options template records accepted
  Counter pending_held;       // data sets held until their template arrives
  Counter pending_decoded;    // held data sets decoded once their template came
  Counter sequence_lost;      // gaps in export sequence numbers (v5 flows, v9 packets, IPFIX records)
  Counter sequence_resets;  // sequence numbers that went backwards or jumped far ahead (restart, reordering)
  ReasonCounters<DecodeError> errors;
};

}  // namespace flowd
