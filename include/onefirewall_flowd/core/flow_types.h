#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace flowd {

enum class Action : uint8_t { kAllow, kDeny };
enum class Direction : uint8_t { kInbound, kOutbound };

[[nodiscard]] constexpr std::string_view to_string(Action action) {
  return action == Action::kAllow ? "Allow" : "Deny";
}
[[nodiscard]] constexpr std::string_view to_string(Direction direction) {
  return direction == Direction::kInbound ? "inbound" : "outbound";
}
[[nodiscard]] std::optional<Action> parse_action(std::string_view text);

}  // namespace flowd
