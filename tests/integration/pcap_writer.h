#pragma once

// Builds classic libpcap captures (Ethernet / IPv4 / TCP or UDP) for feeding
// real flow exporters such as softflowd in integration tests.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace flowd::itest {

using Ipv4 = std::array<uint8_t, 4>;

// Parses dotted-quad text; throws std::invalid_argument when it is not IPv4.
[[nodiscard]] Ipv4 parse_ipv4(const std::string& text);
[[nodiscard]] std::string format_ipv4(const Ipv4& address);

enum class Transport : uint8_t { kTcp = 6, kUdp = 17 };

[[nodiscard]] std::string transport_name(Transport transport);  // "tcp" / "udp"

namespace tcp_flag {
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kPsh = 0x08;
inline constexpr uint8_t kAck = 0x10;
}  // namespace tcp_flag

struct Timestamp {
  uint32_t seconds = 0;
  uint32_t micros = 0;
};

[[nodiscard]] Timestamp plus_micros(Timestamp time, uint64_t micros);

struct Endpoint {
  Ipv4 address{};
  uint16_t port = 0;
};

struct Packet {
  Timestamp time;
  Transport transport = Transport::kTcp;
  Endpoint source;
  Endpoint destination;
  uint8_t tcp_flags = 0;         // TCP only
  uint32_t sequence = 0;         // TCP only
  uint32_t acknowledgement = 0;  // TCP only
  std::vector<uint8_t> payload;
};

// The bytes of one frame on the wire: Ethernet II + IPv4 (checksummed) +
// TCP/UDP (checksummed over the IPv4 pseudo-header).
[[nodiscard]] std::vector<uint8_t> ethernet_frame(const Packet& packet);

// The RFC 1071 Internet checksum of bytes, as a host-order number.
[[nodiscard]] uint16_t internet_checksum(const std::vector<uint8_t>& bytes);

class PcapWriter {
 public:
  void add(const Packet& packet);
  void add(const std::vector<Packet>& packets);

  // The whole file: global header (magic 0xa1b2c3d4, microseconds,
  // LINKTYPE_ETHERNET) then one record per packet, all little-endian.
  [[nodiscard]] std::vector<uint8_t> file_bytes() const;
  void write(const std::filesystem::path& path) const;

 private:
  std::vector<Packet> packets_;
};

// A two-way exchange between a client (initiator) and a server (responder).
struct Conversation {
  Transport transport = Transport::kTcp;
  Endpoint client;
  Endpoint server;
};

// The packets of one complete exchange, starting at `start`, one millisecond
// apart. TCP: three-way handshake, data both ways, FIN/ACK both ways and the
// last ACK. UDP: one request and one reply.
[[nodiscard]] std::vector<Packet> conversation_packets(const Conversation& conversation, Timestamp start);

}  // namespace flowd::itest
