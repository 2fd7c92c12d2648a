#include "onefirewall_flowd/decode/sequence_tracker.h"

namespace flowd {
namespace {

// A forward jump this far (16.7M flows, packets or records between two
// messages of one domain) is an exporter restart or a spoofed number, not loss.
constexpr uint32_t kLargestLoss = uint32_t{1} << 24;

}  // namespace

void SequenceTracker::observe(uint32_t sequence, uint32_t advance, DecodeStats& stats) {
  if (started_ && sequence != expected_) {
    // Modulo 2^32: a small forward distance is loss; a "negative" one (a
    // restart or reordering) or a far jump is not.
    const uint32_t distance = sequence - expected_;
    if (distance <= kLargestLoss) {
      stats.sequence_lost.add(distance);
    } else {
      stats.sequence_resets.add();
    }
  }
  started_ = true;
  expected_ = sequence + advance;
}

void SequenceTracker::observe_uncounted(uint32_t sequence, DecodeStats& stats) {
  observe(sequence, 0, stats);
  started_ = false;
}

}  // namespace flowd
