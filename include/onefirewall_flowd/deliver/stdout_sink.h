#pragma once

#include <cstdio>
#include <string>

#include "onefirewall_flowd/core/counter.h"
#include "onefirewall_flowd/core/event.h"
#include "onefirewall_flowd/deliver/event_sink.h"

namespace flowd {

// The --dry-run sink: one API body per line on a stream, nothing else.
// Lines are buffered and written by flush(), once per received batch.
class StdoutSink final : public EventSink {
 public:
  explicit StdoutSink(std::FILE* stream = stdout) : stream_(stream) {}

  void write(const Event& event) override;
  // Returns false when the stream failed (e.g. a closed pipe).
  bool flush() override;

  [[nodiscard]] uint64_t written() const { return written_.value(); }

 private:
  std::FILE* stream_;
  std::string buffer_;
  Counter written_;
};

}  // namespace flowd
