#include "conversations.h"

#include <array>
#include <utility>

namespace flowd::load {
namespace {

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct Service {
  uint16_t port;
  uint8_t protocol;
};

// Weighted toward the web, as perimeter traffic is.
constexpr std::array<Service, 12> kServices = {{{443, 6}, {443, 6}, {443, 6}, {443, 6}, {80, 6}, {80, 6},
                                                {53, 17}, {123, 17}, {22, 6}, {25, 6}, {993, 6}, {587, 6}}};

// Public first octets only, so the server side is never in a default internal network.
constexpr std::array<uint8_t, 8> kServerFirstOctets = {23, 31, 52, 93, 104, 142, 151, 185};

uint32_t client_address(uint64_t conversation, uint64_t h) {
  const auto low24 = static_cast<uint32_t>(conversation & 0xFFFFFF);
  if ((h & 7) == 0) return (192u << 24) | (168u << 16) | (low24 & 0xFFFF);
  return (10u << 24) | low24;
}

uint32_t server_address(uint64_t h) {
  const uint32_t first = kServerFirstOctets[(h >> 8) % kServerFirstOctets.size()];
  return (first << 24) | static_cast<uint32_t>((h >> 16) & 0xFFFFFF);
}

}  // namespace

Flow ConversationSource::request(uint64_t conversation) const {
  const uint64_t h = mix(conversation);
  const Service service = kServices[(h >> 40) % kServices.size()];
  Flow f;
  f.src_addr = client_address(conversation, h);
  f.dst_addr = server_address(h);
  f.src_port = static_cast<uint16_t>(32768 + (h >> 44) % 28000);
  f.dst_port = service.port;
  f.protocol = service.protocol;
  f.packets = 1 + static_cast<uint32_t>((h >> 50) % 40);
  f.bytes = f.packets * (60 + static_cast<uint32_t>((h >> 20) % 1400));
  f.duration_ms = static_cast<uint32_t>((h >> 4) % 30000);
  f.input_if = 2;
  f.output_if = 1;
  return f;
}

Flow ConversationSource::next() {
  const uint64_t n = next_++;
  const uint64_t index = n / 2;
  const uint64_t j = distinct_ || count_ == 0 ? index : index % count_;
  const uint64_t conversation = exporter_ + j * exporters_;
  Flow f = request(conversation);
  if (n % 2 == 1) {
    std::swap(f.src_addr, f.dst_addr);
    std::swap(f.src_port, f.dst_port);
    std::swap(f.input_if, f.output_if);
    f.bytes = f.packets * 1200;
  }
  return f;
}

}  // namespace flowd::load
