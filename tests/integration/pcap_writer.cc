#include "pcap_writer.h"

#include <arpa/inet.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace flowd::itest {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint32_t kPcapMagic = 0xa1b2c3d4;
constexpr uint16_t kPcapVersionMajor = 2;
constexpr uint16_t kPcapVersionMinor = 4;
constexpr uint32_t kSnapLength = 65535;
constexpr uint32_t kLinkTypeEthernet = 1;

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr size_t kIpv4HeaderSize = 20;
constexpr size_t kTcpHeaderSize = 20;
constexpr size_t kUdpHeaderSize = 8;
constexpr uint8_t kTtl = 64;
constexpr uint16_t kTcpWindow = 64240;

void append_be16(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value));
}

void append_be32(Bytes& out, uint32_t value) {
  append_be16(out, static_cast<uint16_t>(value >> 16));
  append_be16(out, static_cast<uint16_t>(value));
}

void append_le16(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

void append_le32(Bytes& out, uint32_t value) {
  append_le16(out, static_cast<uint16_t>(value));
  append_le16(out, static_cast<uint16_t>(value >> 16));
}

void append(Bytes& out, const Bytes& more) {
  out.insert(out.end(), more.begin(), more.end());
}

void append_address(Bytes& out, const Ipv4& address) {
  out.insert(out.end(), address.begin(), address.end());
}

void store_be16(Bytes& bytes, size_t offset, uint16_t value) {
  bytes.at(offset) = static_cast<uint8_t>(value >> 8);
  bytes.at(offset + 1) = static_cast<uint8_t>(value);
}

// A locally administered MAC derived from the IPv4 address, so each host has
// a stable, distinct one.
void append_mac(Bytes& out, const Ipv4& address) {
  out.push_back(0x02);
  out.push_back(0x00);
  append_address(out, address);
}

Bytes tcp_segment_without_checksum(const Packet& packet) {
  Bytes segment;
  append_be16(segment, packet.source.port);
  append_be16(segment, packet.destination.port);
  append_be32(segment, packet.sequence);
  append_be32(segment, packet.acknowledgement);
  segment.push_back(static_cast<uint8_t>((kTcpHeaderSize / 4) << 4));  // data offset, no options
  segment.push_back(packet.tcp_flags);
  append_be16(segment, kTcpWindow);
  append_be16(segment, 0);  // checksum, filled in later
  append_be16(segment, 0);  // urgent pointer
  append(segment, packet.payload);
  return segment;
}

Bytes udp_datagram_without_checksum(const Packet& packet) {
  Bytes datagram;
  append_be16(datagram, packet.source.port);
  append_be16(datagram, packet.destination.port);
  append_be16(datagram, static_cast<uint16_t>(kUdpHeaderSize + packet.payload.size()));
  append_be16(datagram, 0);  // checksum, filled in later
  append(datagram, packet.payload);
  return datagram;
}

uint16_t transport_checksum(const Packet& packet, const Bytes& transport_bytes) {
  Bytes pseudo;
  append_address(pseudo, packet.source.address);
  append_address(pseudo, packet.destination.address);
  pseudo.push_back(0);
  pseudo.push_back(static_cast<uint8_t>(packet.transport));
  append_be16(pseudo, static_cast<uint16_t>(transport_bytes.size()));
  append(pseudo, transport_bytes);
  const uint16_t checksum = internet_checksum(pseudo);
  // In UDP a zero checksum means "none", so a computed zero is sent as all ones.
  return (checksum == 0 && packet.transport == Transport::kUdp) ? 0xffff : checksum;
}

Bytes transport_bytes(const Packet& packet) {
  const bool tcp = packet.transport == Transport::kTcp;
  Bytes bytes = tcp ? tcp_segment_without_checksum(packet) : udp_datagram_without_checksum(packet);
  const size_t checksum_offset = tcp ? 16 : 6;
  store_be16(bytes, checksum_offset, transport_checksum(packet, bytes));
  return bytes;
}

Bytes ipv4_header(const Packet& packet, size_t transport_size) {
  Bytes header;
  header.push_back(0x45);  // version 4, 5 words
  header.push_back(0);     // DSCP/ECN
  append_be16(header, static_cast<uint16_t>(kIpv4HeaderSize + transport_size));
  append_be16(header, 0);       // identification: unused, as fragmenting is forbidden
  append_be16(header, 0x4000);  // don't fragment
  header.push_back(kTtl);
  header.push_back(static_cast<uint8_t>(packet.transport));
  append_be16(header, 0);  // checksum, filled in below
  append_address(header, packet.source.address);
  append_address(header, packet.destination.address);
  store_be16(header, 10, internet_checksum(header));
  return header;
}

Bytes pcap_global_header() {
  Bytes header;
  append_le32(header, kPcapMagic);
  append_le16(header, kPcapVersionMajor);
  append_le16(header, kPcapVersionMinor);
  append_le32(header, 0);  // thiszone
  append_le32(header, 0);  // sigfigs
  append_le32(header, kSnapLength);
  append_le32(header, kLinkTypeEthernet);
  return header;
}

void append_pcap_record(Bytes& out, const Packet& packet) {
  const Bytes frame = ethernet_frame(packet);
  append_le32(out, packet.time.seconds);
  append_le32(out, packet.time.micros);
  append_le32(out, static_cast<uint32_t>(frame.size()));  // captured length
  append_le32(out, static_cast<uint32_t>(frame.size()));  // original length
  append(out, frame);
}

Bytes text_payload(const std::string& text) {
  return Bytes(text.begin(), text.end());
}

// Hands out packets of one conversation, each a millisecond after the last.
class PacketClock {
 public:
  explicit PacketClock(Timestamp start) : next_(start) {}
  Timestamp tick() {
    const Timestamp now = next_;
    next_ = plus_micros(next_, 1000);
    return now;
  }

 private:
  Timestamp next_;
};

std::vector<Packet> tcp_conversation(const Conversation& c, Timestamp start) {
  PacketClock clock(start);
  const Bytes request = text_payload("request from the client");
  const Bytes response = text_payload("response from the server, a little longer");
  // Sequence numbers as a real stack would advance them.
  uint32_t client_seq = 1000;
  uint32_t server_seq = 5000;
  std::vector<Packet> packets;
  auto from_client = [&](uint8_t flags, const Bytes& payload) {
    packets.push_back(
        {clock.tick(), Transport::kTcp, c.client, c.server, flags, client_seq, server_seq, payload});
    client_seq +=
        static_cast<uint32_t>(payload.size()) + ((flags & (tcp_flag::kSyn | tcp_flag::kFin)) ? 1 : 0);
  };
  auto from_server = [&](uint8_t flags, const Bytes& payload) {
    packets.push_back(
        {clock.tick(), Transport::kTcp, c.server, c.client, flags, server_seq, client_seq, payload});
    server_seq +=
        static_cast<uint32_t>(payload.size()) + ((flags & (tcp_flag::kSyn | tcp_flag::kFin)) ? 1 : 0);
  };
  using namespace tcp_flag;
  from_client(kSyn, {});
  packets.back().acknowledgement = 0;
  from_server(kSyn | kAck, {});
  from_client(kAck, {});
  from_client(kPsh | kAck, request);
  from_server(kAck, {});
  from_server(kPsh | kAck, response);
  from_client(kAck, {});
  from_client(kFin | kAck, {});
  from_server(kFin | kAck, {});
  from_client(kAck, {});
  return packets;
}

std::vector<Packet> udp_conversation(const Conversation& c, Timestamp start) {
  PacketClock clock(start);
  return {
      {clock.tick(), Transport::kUdp, c.client, c.server, 0, 0, 0, text_payload("udp request")},
      {clock.tick(), Transport::kUdp, c.server, c.client, 0, 0, 0, text_payload("udp reply, longer")},
  };
}

}  // namespace

Ipv4 parse_ipv4(const std::string& text) {
  in_addr parsed{};
  if (inet_pton(AF_INET, text.c_str(), &parsed) != 1) {
    throw std::invalid_argument("not an IPv4 address: " + text);
  }
  const uint32_t host_order = ntohl(parsed.s_addr);
  return {static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
          static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order)};
}

std::string format_ipv4(const Ipv4& address) {
  return std::to_string(address[0]) + "." + std::to_string(address[1]) + "." + std::to_string(address[2]) +
         "." + std::to_string(address[3]);
}

std::string transport_name(Transport transport) {
  return transport == Transport::kTcp ? "tcp" : "udp";
}

Timestamp plus_micros(Timestamp time, uint64_t micros) {
  const uint64_t total = uint64_t{time.micros} + micros;
  return {static_cast<uint32_t>(time.seconds + total / 1'000'000), static_cast<uint32_t>(total % 1'000'000)};
}

uint16_t internet_checksum(const std::vector<uint8_t>& bytes) {
  uint32_t sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    const uint32_t high = bytes[i];
    const uint32_t low = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    sum += (high << 8) | low;
  }
  while (sum >> 16) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum);
}

std::vector<uint8_t> ethernet_frame(const Packet& packet) {
  const Bytes transport = transport_bytes(packet);
  Bytes frame;
  append_mac(frame, packet.destination.address);
  append_mac(frame, packet.source.address);
  append_be16(frame, kEtherTypeIpv4);
  append(frame, ipv4_header(packet, transport.size()));
  append(frame, transport);
  return frame;
}

void PcapWriter::add(const Packet& packet) {
  packets_.push_back(packet);
}

void PcapWriter::add(const std::vector<Packet>& packets) {
  packets_.insert(packets_.end(), packets.begin(), packets.end());
}

std::vector<uint8_t> PcapWriter::file_bytes() const {
  Bytes bytes = pcap_global_header();
  for (const Packet& packet : packets_) {
    append_pcap_record(bytes, packet);
  }
  return bytes;
}

void PcapWriter::write(const std::filesystem::path& path) const {
  const Bytes bytes = file_bytes();
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
    throw std::runtime_error("cannot write pcap file " + path.string());
  }
}

std::vector<Packet> conversation_packets(const Conversation& conversation, Timestamp start) {
  return conversation.transport == Transport::kTcp ? tcp_conversation(conversation, start)
                                                   : udp_conversation(conversation, start);
}

}  // namespace flowd::itest
