#pragma once

#include <string_view>

namespace flowd::test {

// A NetFlow v5 datagram with two records, annotated field by field.
inline constexpr std::string_view kV5TwoRecords = R"(
  0005          # version 5
  0002          # count 2
  000186a0      # sysUptime 100000 ms
  5f5e1000      # unix_secs 1600000000
  1dcd6500      # unix_nsecs 500000000 (500 ms)
  0000002a      # flow_sequence 42
  01            # engine_type 1
  02            # engine_id 2
  4064          # sampling: mode 1, interval 100
  # record 1: TCP 192.168.10.5:40000 -> 198.51.100.1:443
  c0a80a05      # srcaddr
  c6336401      # dstaddr
  00000000      # nexthop
  0003 0004     # input, output interface
  0000000a      # dPkts 10
  00000fa0      # dOctets 4000
  00017318      # first 95000
  000182b8      # last 99000
  9c40 01bb     # srcport 40000, dstport 443
  00 1b 06 00   # pad1, tcp_flags SYN|FIN|PSH|ACK, prot 6, tos
  0000 0000     # src_as, dst_as
  18 18 0000    # src_mask, dst_mask, pad2
  # record 2: UDP 198.51.100.53:53 -> 192.168.10.5:51000
  c6336435 c0a80a05 00000000
  0004 0003
  00000001 00000080
  000186a0 000186a0
  0035 c738
  00 00 11 00
  0000 0000
  00 00 0000
)";

// One record whose first/last stamps precede an uptime that wrapped past 2^32.
inline constexpr std::string_view kV5UptimeWrap = R"(
  0005 0001
  000003e8      # sysUptime 1000 ms, just after a wrap
  5f5e1000 00000000 00000000 0000 0000
  0a000001 08080808 00000000 0001 0002
  00000001 00000040
  fffffc18      # first: 2000 ms before the export, before the wrap
  000003e8      # last: at export time
  c350 0035 00 00 11 00 0000 0000 00 00 0000
)";

}  // namespace flowd::test
