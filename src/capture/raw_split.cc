#include "onefirewall_flowd/capture/capture_reader.h"
#include "onefirewall_flowd/decode/byte_reader.h"

namespace flowd {
namespace {

constexpr size_t kV5Header = 24;
constexpr size_t kV5Record = 48;
constexpr size_t kV9Header = 20;
constexpr uint16_t kV9Version = 9;

// Length of the datagram starting at data, or 0 if it cannot be delimited.
size_t datagram_length(std::span<const uint8_t> data) {
  ByteReader r(data);
  uint16_t version = 0, word = 0;
  if (!r.read_u16(version) || !r.read_u16(word)) return 0;
  if (version == 5) return kV5Header + kV5Record * word;
  if (version == 10) return word;
  if (version != kV9Version || !r.skip(kV9Header - 4)) return 0;
  // v9 has no length: walk FlowSets until one starts with id 9, a reserved
  // FlowSet id that here is the version of the next header.
  size_t length = kV9Header;
  uint16_t set_id = 0, set_length = 0;
  while (r.remaining() >= 4) {
    ByteReader peek = r;
    if (!peek.read_u16(set_id) || !peek.read_u16(set_length)) break;
    if (set_id == kV9Version || set_length < 4 || !r.skip(set_length)) break;
    length += set_length;
  }
  return set_id == kV9Version ? length : data.size();
}

}  // namespace

std::vector<std::vector<uint8_t>> split_raw_payloads(const std::vector<uint8_t>& bytes) {
  std::vector<std::vector<uint8_t>> out;
  std::span<const uint8_t> rest(bytes);
  while (!rest.empty()) {
    size_t length = datagram_length(rest);
    // An undelimited or overlong tail is handed over whole, for the decoder to judge.
    if (length == 0 || length > rest.size()) length = rest.size();
    out.emplace_back(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(length));
    rest = rest.subspan(length);
  }
  return out;
}

}  // namespace flowd
