#include "onefirewall_flowd/deliver/record_queue.h"

#include <iterator>

namespace flowd {

bool RecordQueue::push(std::string body) {
  const std::lock_guard lock(mutex_);
  if (bodies_.size() >= capacity_) return false;
  bodies_.push_back(std::move(body));
  return true;
}

void RecordQueue::take_all(std::vector<std::string>& out) {
  const std::lock_guard lock(mutex_);
  if (out.empty()) {
    out.swap(bodies_);
    return;
  }
  out.insert(out.end(), std::make_move_iterator(bodies_.begin()), std::make_move_iterator(bodies_.end()));
  bodies_.clear();
}

size_t RecordQueue::size() const {
  const std::lock_guard lock(mutex_);
  return bodies_.size();
}

}  // namespace flowd
