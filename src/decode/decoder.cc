#include "onefirewall_flowd/decode/decoder.h"

#include "onefirewall_flowd/decode/byte_reader.h"
#include "onefirewall_flowd/decode/netflow_v5.h"

namespace flowd {

void Decoder::decode(const Datagram& datagram, std::vector<FlowRecord>& out) {
  stats_.datagrams.add();
  ByteReader r(datagram.payload);
  uint16_t version = 0;
  if (!r.read_u16(version)) {
    stats_.errors.add(DecodeError::kTruncatedHeader);
    return;
  }
  const size_t before = out.size();
  DecodeError error = DecodeError::kUnsupportedVersion;
  if (version == 5) error = decode_netflow_v5(datagram, out);
  if (error != DecodeError::kNone) {
    stats_.errors.add(error);
    return;
  }
  stats_.flows.add(out.size() - before);
}

}  // namespace flowd
