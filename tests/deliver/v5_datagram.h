#pragma once

// Builds NetFlow v5 datagrams and sends them over UDP, to feed the daemon binary.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "big_endian.h"

namespace flowd::testing {

using test::put16;
using test::put32;

// One NetFlow v5 flow record's key (addresses in host order).
struct V5Flow {
  uint32_t src = 0;
  uint32_t dst = 0;
  uint16_t src_port = 40000;
  uint16_t dst_port = 443;
};

// A datagram of up to 30 tcp flows.
inline std::vector<uint8_t> v5_datagram(const std::vector<V5Flow>& flows, uint32_t sequence) {
  std::vector<uint8_t> out;
  put16(out, 5);
  put16(out, static_cast<uint16_t>(flows.size()));
  put32(out, 100'000);  // uptime ms
  put32(out, 1'700'000'000);
  put32(out, 0);
  put32(out, sequence);
  put32(out, 0);  // engine type, engine id, sampling
  for (const V5Flow& flow : flows) {
    put32(out, flow.src);
    put32(out, flow.dst);
    put32(out, 0);       // next hop
    put32(out, 1);       // input, output interfaces
    put32(out, 10);      // packets
    put32(out, 1500);    // octets
    put32(out, 90'000);  // first
    put32(out, 99'000);  // last
    put16(out, flow.src_port);
    put16(out, flow.dst_port);
    out.push_back(0);
    out.push_back(0x1b);  // tcp flags
    out.push_back(6);     // tcp
    out.push_back(0);
    put32(out, 0);  // AS numbers
    put32(out, 0);  // masks, pad
  }
  return out;
}

// Flow n: 45.0.x.y:40000 → 10.0.0.1:443/tcp, the same conversation as
// record_body(n) with firewall = the exporter's name.
inline V5Flow numbered_flow(int n) {
  return {(45u << 24) | (static_cast<uint32_t>(n / 250) << 8) | static_cast<uint32_t>(n % 250 + 1),
          (10u << 24) | 1u};
}

// Sends the flows to 127.0.0.1:port, 30 per datagram.
inline void send_v5(uint16_t port, const std::vector<V5Flow>& flows) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  uint32_t sequence = 0;
  for (size_t n = 0; n < flows.size(); n += 30) {
    const std::vector<V5Flow> part(flows.begin() + static_cast<long>(n),
                                   flows.begin() + static_cast<long>(std::min(n + 30, flows.size())));
    const auto datagram = v5_datagram(part, sequence);
    sequence += static_cast<uint32_t>(part.size());
    ::sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  ::close(fd);
}

// Sends flows [from, to) of numbered_flow().
inline void send_v5_flows(uint16_t port, int from, int to) {
  std::vector<V5Flow> flows;
  for (int n = from; n < to; ++n) flows.push_back(numbered_flow(n));
  send_v5(port, flows);
}

}  // namespace flowd::testing
