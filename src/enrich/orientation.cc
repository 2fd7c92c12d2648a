#include "onefirewall_flowd/enrich/orientation.h"

#include "onefirewall_flowd/enrich/service_table.h"
#include "onefirewall_flowd/enrich/service_table_data.h"

namespace flowd {

// The generated table is constant-initialised, so it is complete before this runs.
NamedPorts::NamedPorts() {
  for (size_t i = 0; i < generated::kServiceCount; ++i) {
    const generated::ServiceEntry& e = generated::kServices[i];
    if (e.protocol == kProtoTcp) tcp_[e.port] = true;
    if (e.protocol == kProtoUdp) udp_[e.port] = true;
    if (e.protocol == kProtoSctp) sctp_[e.port] = true;
  }
}

bool NamedPorts::named_elsewhere(uint8_t protocol, uint16_t port) {
  return !ServiceTable::builtin_name(protocol, port).empty();
}

const NamedPorts kNamedPorts;

}  // namespace flowd
