#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "onefirewall_flowd/deliver/admission.h"

namespace flowd {

// The bounded, thread-safe hand-over of records from the receive threads to
// the uploader thread.
class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity) : capacity_(capacity) {}

  // False when the queue is full; the caller counts the drop.
  bool push(Admission record);
  // Moves every queued record to the end of `out`, oldest first.
  void take_all(std::vector<Admission>& out);
  [[nodiscard]] size_t size() const;

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<Admission> records_;
};

}  // namespace flowd
