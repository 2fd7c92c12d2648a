// Writes the README's sample capture: a small office's perimeter traffic, for
// feeding softflowd (or any exporter that reads pcap) without a router.
// Usage: flowd-sample-pcap OUTPUT.pcap
#include <cstdio>
#include <vector>

#include "pcap_writer.h"

namespace {

using flowd::itest::Conversation;
using flowd::itest::parse_ipv4;
using flowd::itest::Transport;

Conversation conversation(Transport t, const char* client, uint16_t cport, const char* server,
                          uint16_t sport) {
  return {t, {parse_ipv4(client), cport}, {parse_ipv4(server), sport}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT.pcap\n", argv[0]);
    return 1;
  }
  const auto tcp = Transport::kTcp;
  const auto udp = Transport::kUdp;
  const std::vector<Conversation> conversations = {
      conversation(tcp, "192.168.1.20", 51514, "198.51.100.10", 443),
      conversation(tcp, "192.168.1.21", 51515, "198.51.100.11", 80),
      conversation(udp, "192.168.1.20", 40001, "203.0.113.53", 53),
      conversation(udp, "192.168.1.22", 40002, "203.0.113.123", 123),
      conversation(tcp, "192.168.1.23", 51516, "203.0.113.25", 25),
      conversation(tcp, "192.168.1.24", 51517, "198.51.100.44", 3389),
      conversation(tcp, "203.0.113.200", 60001, "192.168.1.10", 443),
      conversation(tcp, "203.0.113.201", 60002, "192.168.1.10", 22),
      conversation(tcp, "192.168.1.20", 51518, "192.168.1.10", 445),  // internal only: dropped
  };
  flowd::itest::PcapWriter writer;
  flowd::itest::Timestamp start{1'767'225'600, 0};  // 2026-01-01T00:00:00Z
  for (const auto& c : conversations) {
    writer.add(flowd::itest::conversation_packets(c, start));
    start = flowd::itest::plus_micros(start, 250'000);
  }
  writer.write(argv[1]);
  return 0;
}
