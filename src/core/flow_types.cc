#include "onefirewall_flowd/core/flow_types.h"

namespace flowd {

std::optional<Action> parse_action(std::string_view text) {
  if (text == "Allow") return Action::kAllow;
  if (text == "Deny") return Action::kDeny;
  return std::nullopt;
}

}  // namespace flowd
