#pragma once

#include "onefirewall_flowd/core/event.h"

namespace flowd {

// Where the pipeline hands the records it keeps: stdout in --dry-run, the
// delivery queue otherwise.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void write(const Event& event) = 0;
  // Called once per received batch. Returns false when the sink failed.
  virtual bool flush() = 0;
};

}  // namespace flowd
