#include "onefirewall_flowd/deliver/queue_sink.h"

#include "onefirewall_flowd/deliver/event_json.h"

namespace flowd {

void QueueSink::write(const Event& event) {
  body_.clear();
  append_event_json(event, body_);
  uploader_.enqueue(body_);  // a full queue is counted by the uploader
}

}  // namespace flowd
