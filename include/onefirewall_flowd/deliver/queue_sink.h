#pragma once

#include "onefirewall_flowd/deliver/event_sink.h"
#include "onefirewall_flowd/deliver/uploader.h"

namespace flowd {

// The delivery sink: each record's API body, external host, action and
// admission time go to the uploader's queue.
class QueueSink final : public EventSink {
 public:
  explicit QueueSink(Uploader& uploader) : uploader_(uploader) {}

  void write(const Event& event) override;
  bool flush() override { return true; }

 private:
  Uploader& uploader_;
};

}  // namespace flowd
