#pragma once

#include <string>

#include "onefirewall_flowd/core/event.h"

namespace flowd {

// Appends the API body of an event: one JSON object with exactly the eight
// fields, in the documented order, and no trailing newline.
void append_event_json(const Event& event, std::string& out);

[[nodiscard]] std::string event_json(const Event& event);

}  // namespace flowd
