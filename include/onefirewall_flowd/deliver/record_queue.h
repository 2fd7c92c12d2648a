#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace flowd {

// The bounded, thread-safe hand-over of API bodies from the receive thread to
// the uploader thread.
class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity) : capacity_(capacity) {}

  // False when the queue is full; the caller counts the drop.
  bool push(std::string body);
  // Moves every queued body to the end of `out`, oldest first.
  void take_all(std::vector<std::string>& out);
  [[nodiscard]] size_t size() const;

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<std::string> bodies_;
};

}  // namespace flowd
