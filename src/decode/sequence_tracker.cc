#include "onefirewall_flowd/decode/sequence_tracker.h"

namespace flowd {

void SequenceTracker::observe(uint32_t sequence, uint32_t advance, DecodeStats& stats) {
  if (started_ && sequence != expected_) {
    // Modulo 2^32: a small forward distance is loss, a "negative" one is a
    // restart or reordering and is not loss.
    const uint32_t distance = sequence - expected_;
    if (distance < 0x8000'0000u) {
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
