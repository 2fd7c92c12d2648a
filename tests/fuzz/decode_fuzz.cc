// Fuzz target: any bytes, as any exporter, through the version dispatch.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "onefirewall_flowd/decode/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static flowd::DecodeStats stats;
  static flowd::Decoder decoder(stats);
  std::vector<flowd::FlowRecord> out;
  const flowd::Datagram datagram{flowd::IpAddress::from_v4(0xC0000201), 2055, {data, size}, {}};
  const uint64_t errors_before = stats.errors.total();
  decoder.decode(datagram, out);
  // A datagram either yields records or is counted as an error, never both.
  const bool counted = stats.errors.total() != errors_before;
  if (counted && !out.empty()) std::abort();
  if (out.size() > size) std::abort();  // no record without the bytes to carry it
  return 0;
}
