#include "onefirewall_flowd/deliver/record_queue.h"

#include <iterator>

namespace flowd {

bool RecordQueue::push(Admission record) {
  const std::lock_guard lock(mutex_);
  if (records_.size() >= capacity_) return false;
  records_.push_back(std::move(record));
  return true;
}

void RecordQueue::take_all(std::vector<Admission>& out) {
  const std::lock_guard lock(mutex_);
  if (out.empty()) {
    out.swap(records_);
    return;
  }
  out.insert(out.end(), std::make_move_iterator(records_.begin()), std::make_move_iterator(records_.end()));
  records_.clear();
}

size_t RecordQueue::size() const {
  const std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace flowd
