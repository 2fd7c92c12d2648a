#pragma once

// Builds NetFlow v5 datagrams and sends them over UDP, to feed the daemon binary.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace flowd::testing {

inline void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

inline void put32(std::vector<uint8_t>& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v >> 16));
  put16(out, static_cast<uint16_t>(v));
}

// Flows n in [from, to) (at most 30): 45.0.x.y:40000 → 10.0.0.1:443/tcp, the
// same conversations as record_body(n) with firewall = the exporter address.
inline std::vector<uint8_t> v5_datagram(int from, int to, uint32_t sequence) {
  std::vector<uint8_t> out;
  put16(out, 5);
  put16(out, static_cast<uint16_t>(to - from));
  put32(out, 100'000);  // uptime ms
  put32(out, 1'700'000'000);
  put32(out, 0);
  put32(out, sequence);
  put32(out, 0);  // engine type, engine id, sampling
  for (int n = from; n < to; ++n) {
    put32(out, (45u << 24) | (static_cast<uint32_t>(n / 250) << 8) | static_cast<uint32_t>(n % 250 + 1));
    put32(out, (10u << 24) | 1u);
    put32(out, 0);       // next hop
    put32(out, 1);       // input, output interfaces
    put32(out, 10);      // packets
    put32(out, 1500);    // octets
    put32(out, 90'000);  // first
    put32(out, 99'000);  // last
    put16(out, 40000);
    put16(out, 443);
    out.push_back(0);
    out.push_back(0x1b);  // tcp flags
    out.push_back(6);     // tcp
    out.push_back(0);
    put32(out, 0);  // AS numbers
    put32(out, 0);  // masks, pad
  }
  return out;
}

// Sends flows [from, to) to 127.0.0.1:port, 30 per datagram.
inline void send_v5_flows(uint16_t port, int from, int to) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  uint32_t sequence = 0;
  for (int n = from; n < to; n += 30) {
    const int end = std::min(n + 30, to);
    const auto datagram = v5_datagram(n, end, sequence);
    sequence += static_cast<uint32_t>(end - n);
    ::sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  ::close(fd);
}

}  // namespace flowd::testing
