#include "onefirewall_flowd/enrich/orientation.h"

#include "onefirewall_flowd/enrich/service_table.h"

namespace flowd {

int service_port_rank(uint8_t protocol, uint16_t port) {
  if (port == 0) return 4;  // port 0 is never a real service
  if (port < 1024) return 1;
  if (!ServiceTable::builtin_name(protocol, port).empty()) return 2;
  return 3;
}

bool is_reply(uint8_t protocol, uint16_t src_port, uint16_t dst_port) {
  if (!has_ports(protocol) || src_port == dst_port) return false;
  const int src_rank = service_port_rank(protocol, src_port);
  const int dst_rank = service_port_rank(protocol, dst_port);
  if (src_rank != dst_rank) return src_rank < dst_rank;
  return src_port < dst_port;
}

}  // namespace flowd
