// Fuzz target: a persisted template file is untrusted input too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "onefirewall_flowd/decode/decoder.h"

// The epoch: no saved template has expired by then.
constexpr std::chrono::system_clock::time_point kNow{};

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flowd::DecodeStats stats;
  flowd::Decoder decoder(stats);
  const size_t restored = decoder.load_templates({data, size}, kNow);
  // A restored template takes at least a 36-byte record with one field; a
  // record repeating an earlier key redefines that template.
  if (restored * 36 > size || decoder.templates_active() > restored) std::abort();
  const auto saved = decoder.save_templates(kNow);
  flowd::DecodeStats again_stats;
  flowd::Decoder again(again_stats);
  if (again.load_templates(saved, kNow) != decoder.templates_active())
    std::abort();  // saved loads back whole
  return 0;
}
