#include "onefirewall_flowd/enrich/service_table.h"

#include <algorithm>

#include "onefirewall_flowd/enrich/service_table_data.h"

namespace flowd {

ServiceTable::ServiceTable(std::vector<ServiceOverride> overrides) : overrides_(std::move(overrides)) {}

std::string_view ServiceTable::builtin_name(uint8_t protocol, uint16_t port) {
  const auto* begin = generated::kServices;
  const auto* end = begin + generated::kServiceCount;
  const auto* it = std::lower_bound(begin, end, std::pair{protocol, port},
                                    [](const generated::ServiceEntry& e, std::pair<uint8_t, uint16_t> k) {
                                      return std::pair{e.protocol, e.port} < k;
                                    });
  if (it == end || it->protocol != protocol || it->port != port) return {};
  return it->name;
}

std::string_view ServiceTable::protocol_name(uint8_t protocol) {
  for (size_t i = 0; i < generated::kProtocolCount; ++i) {
    if (generated::kProtocols[i].number == protocol) return generated::kProtocols[i].name;
  }
  return {};
}

const ServiceOverride* ServiceTable::find_override(const IpAddress& responder, uint8_t protocol,
                                                   uint16_t port) const {
  const ServiceOverride* by_port = nullptr;
  for (const auto& o : overrides_) {
    if (o.port != port || (o.protocol && *o.protocol != protocol)) continue;
    if (o.address) {
      if (*o.address == responder) return &o;
    } else if (!by_port) {
      by_port = &o;
    }
  }
  return by_port;
}

std::string ServiceTable::name(const IpAddress& responder, uint8_t protocol, uint16_t port) const {
  if (!has_ports(protocol)) {
    const auto proto = protocol_name(protocol);
    return proto.empty() ? "ip/" + std::to_string(protocol) : std::string(proto);
  }
  if (const auto* o = find_override(responder, protocol, port)) return o->name;
  if (const auto builtin = builtin_name(protocol, port); !builtin.empty()) return std::string(builtin);
  return std::string(protocol_name(protocol)) + "/" + std::to_string(port);
}

std::string ServiceTable::explain(const IpAddress& responder, uint8_t protocol, uint16_t port) const {
  if (!has_ports(protocol)) return "protocol " + std::to_string(protocol) + " has no ports";
  if (const auto* o = find_override(responder, protocol, port)) {
    return o->address ? "services.overrides for " + o->address->to_string() + " port " + std::to_string(port)
                      : "services.overrides for port " + std::to_string(port);
  }
  if (!builtin_name(protocol, port).empty()) return "IANA name of responder port " + std::to_string(port);
  return "no name for responder port " + std::to_string(port);
}

}  // namespace flowd
