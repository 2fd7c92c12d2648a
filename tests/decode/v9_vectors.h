#pragma once

#include <string_view>

namespace flowd::test {

// NetFlow v9: one template flowset, then one data flowset with one record.
inline constexpr std::string_view kV9TemplateAndData = R"(
  0009          # version 9
  0002          # count: 1 template + 1 record (not trusted)
  000186a0      # sysUptime 100000 ms
  5f5e1000      # unix_secs 1600000000
  00000007      # sequence 7
  00000001      # source_id 1
  # template flowset
  0000 002c     # flowset id 0 (templates), length 44
  0100 0009     # template 256, 9 fields
  0008 0004     # IPV4_SRC_ADDR
  000c 0004     # IPV4_DST_ADDR
  0007 0002     # L4_SRC_PORT
  000b 0002     # L4_DST_PORT
  0004 0001     # PROTOCOL
  0001 0004     # IN_BYTES
  0002 0004     # IN_PKTS
  0016 0004     # FIRST_SWITCHED (22)
  0015 0004     # LAST_SWITCHED (21)
  # data flowset: one 29-byte record and 3 bytes of padding
  0100 0024     # flowset id 256, length 36
  c0a80a05 c6336401 9c40 01bb 06
  00000fa0      # 4000 octets
  0000000a      # 10 packets
  00017318      # first 95000 ms uptime
  000182b8      # last 99000 ms uptime
  000000        # padding
)";

// NetFlow v9 from a firewall: NSEL event fields, forwarding status,
// direction, interfaces, and an options template whose data sets sampling.
inline constexpr std::string_view kV9Firewall = R"(
  0009 0003 000186a0 5f5e1000 00000001
  00000002      # source_id 2
  # options template flowset
  0001 0018     # flowset id 1 (options templates), length 24
  0101          # template 257
  0004          # scope length 4 bytes: one scope field
  0008          # option length 8 bytes: two option fields
  0001 0004     # scope: System (type 1, which must not be read as IE 1)
  0022 0004     # SAMPLING_INTERVAL (34)
  0023 0001     # SAMPLING_ALGORITHM (35)
  0000          # padding
  # template flowset
  0000 0034     # flowset id 0, length 52
  0102 000b     # template 258, 11 fields
  0008 0004 000c 0004 0007 0002 000b 0002 0004 0001
  9c45 0001     # NF_F_FW_EVENT (40005)
  80ea 0002     # NF_F_FW_EXT_EVENT (33002)
  00e7 0004     # initiatorOctets (231)
  00e8 0004     # responderOctets (232)
  0059 0001     # FORWARDING_STATUS (89)
  003d 0001     # DIRECTION (61)
  # options data flowset: System 0, interval 100, algorithm 2
  0101 000d     # flowset 257, length 13
  00000000 00000064 02
  # data flowset: one 26-byte record
  0102 001e     # flowset 258, length 30
  cb007105 0a000005 d431 0016 06
  03            # event 3: flow denied
  03e9          # extended event 1001: ingress ACL
  00000100      # initiator octets 256
  00000000      # responder octets 0
  80            # forwarding status: dropped
  00            # direction: ingress
)";

// A v9 data flowset that comes before its template, in its own datagram.
inline constexpr std::string_view kV9DataOnly = R"(
  0009 0001 000186a0 5f5e1000 00000006 00000001   # sequence 6, source_id 1
  0100 0024
  c0a80a06 c6336402 9c41 0050 06
  00000064 00000001 00017318 000182b8 000000
)";

}  // namespace flowd::test
