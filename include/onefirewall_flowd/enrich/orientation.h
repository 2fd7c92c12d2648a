#pragma once

#include <cstdint>

namespace flowd {

// Initiator-first: true when the flow runs from the responder's side, i.e.
// its source port is the better service port of the pair. Depends only on
// the ports, so both halves of a conversation agree.
[[nodiscard]] bool is_reply(uint8_t protocol, uint16_t src_port, uint16_t dst_port);

// 1: below 1024; 2: named in the service table; 3: anything else; 4: port 0.
[[nodiscard]] int service_port_rank(uint8_t protocol, uint16_t port);

}  // namespace flowd
