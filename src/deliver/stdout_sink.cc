#include "onefirewall_flowd/deliver/stdout_sink.h"

#include "onefirewall_flowd/deliver/event_json.h"

namespace flowd {

void StdoutSink::write(const Event& event) {
  append_event_json(event, buffer_);
  buffer_ += '\n';
  written_.add();
}

bool StdoutSink::flush() {
  if (buffer_.empty()) return true;
  const size_t n = std::fwrite(buffer_.data(), 1, buffer_.size(), stream_);
  const bool ok = n == buffer_.size() && std::fflush(stream_) == 0;
  buffer_.clear();
  return ok;
}

}  // namespace flowd
