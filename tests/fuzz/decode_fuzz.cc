// Fuzz target: any bytes, as any exporter, through the version dispatch. The
// decoder is kept across inputs so that template state is exercised too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "onefirewall_flowd/decode/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const flowd::TemplateLimits limits;
  static flowd::DecodeStats stats;
  static flowd::Decoder decoder(stats, limits);
  std::vector<flowd::FlowRecord> out;
  const flowd::Datagram datagram{flowd::IpAddress::from_v4(0xC0000201), 2055, {data, size}, {}};
  const uint64_t flows_before = stats.flows.value();
  decoder.decode(datagram, out);
  // Every record takes at least one byte of this datagram or of held data.
  if (out.size() > size + limits.pending.bytes_total) std::abort();
  if (stats.flows.value() - flows_before != out.size()) std::abort();
  if (decoder.templates_active() > limits.templates_total) std::abort();
  return 0;
}
