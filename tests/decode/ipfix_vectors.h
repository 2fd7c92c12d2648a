#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hex.h"

namespace flowd::test {

// IPFIX: a template with an enterprise field, a variable-length field and an
// RFC 5103 reverse field, then two records using both length forms.
inline constexpr std::string_view kIpfixTemplateAndData = R"(
  000a          # version 10
  00e8          # message length 232
  5f5e1000      # export time 1600000000
  00000000      # sequence 0
  00000005      # observation domain 5
  # template set
  0002 004c     # set id 2, length 76
  012c 000f     # template 300, 15 fields
  0008 0004 000c 0004 0007 0002 000b 0002 0004 0001
  0001 0008     # octetDeltaCount
  0002 0008     # packetDeltaCount
  0098 0008     # flowStartMilliseconds (152)
  0099 0008     # flowEndMilliseconds (153)
  0059 0001     # forwardingStatus
  00e9 0001     # firewallEvent (233)
  00ef 0001     # biflowDirection (239)
  8059 0004 00000009   # enterprise 9, IE 89: not the IANA forwardingStatus
  0052 ffff     # interfaceName, variable length
  8001 0008 00007279   # RFC 5103 reverse octetDeltaCount (PEN 29305)
  # data set: records of 65 and 68 bytes, 3 bytes of padding
  012c 008c     # set 300, length 140
  c0a80a05 c6336401 9c40 01bb 06
  0000000000000fa0  0000000000000010
  00000174876e8000  # start 1600000000000
  00000174876e9388  # end 1600000005000
  40 01 01
  000000c0      # enterprise value, skipped
  04 65746830   # "eth0", short length form
  0000000000000064  # reverse octets 100
  c6336401 c0a80a05 01bb 9c40 06
  0000000000000010  0000000000000001
  00000174876e8000 00000174876e8000
  c3 02 02
  00000000
  ff 0005 77616e3031   # "wan01", long length form
  0000000000000000
  000000        # padding
)";

// IPFIX: template 256 with field count 0 withdraws it.
inline constexpr std::string_view kIpfixWithdraw300 = R"(
  000a 0018 5f5e1000 00000002 00000005
  0002 0008     # template set, length 8
  012c 0000     # template 300, field count 0: withdrawal
)";

// kIpfixTemplateAndData without its template: the message header, then its
// data set (the template set is the 76 bytes after the header).
inline std::vector<uint8_t> ipfix_data_only() {
  const std::vector<uint8_t> full = hex(kIpfixTemplateAndData);
  std::vector<uint8_t> out(full.begin(), full.begin() + 16);
  out.insert(out.end(), full.begin() + 16 + 76, full.end());
  out[2] = static_cast<uint8_t>(out.size() >> 8);
  out[3] = static_cast<uint8_t>(out.size());
  return out;
}

}  // namespace flowd::test
