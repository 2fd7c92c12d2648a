#include "onefirewall_flowd/deliver/queue_sink.h"

#include "onefirewall_flowd/deliver/event_json.h"

namespace flowd {

void QueueSink::write(const Event& event) {
  Admission record{{}, external_host(event), event.action, unix_ms(std::chrono::system_clock::now())};
  append_event_json(event, record.body);
  uploader_.enqueue(std::move(record));  // a full queue is counted by the uploader
}

}  // namespace flowd
