#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/ip_address.h"
#include "onefirewall_flowd/enrich/orientation.h"

namespace flowd {

// The built-in IANA names (from netbase at build time), with overrides.
class ServiceTable {
 public:
  explicit ServiceTable(std::vector<ServiceOverride> overrides = {});

  // The IANA name of a port, or empty when the table has none.
  [[nodiscard]] static std::string_view builtin_name(uint8_t protocol, uint16_t port);
  // The IANA keyword of a protocol number ("icmp", "gre"), or empty.
  [[nodiscard]] static std::string_view protocol_name(uint8_t protocol);

  // The service name of a responder: an override for its address and port,
  // then one for its port, then the IANA name, then "tcp/8443" style.
  [[nodiscard]] std::string name(const IpAddress& responder, uint8_t protocol, uint16_t port) const;
  // Which of those rules decided, for replay --explain.
  [[nodiscard]] std::string explain(const IpAddress& responder, uint8_t protocol, uint16_t port) const;

 private:
  [[nodiscard]] const ServiceOverride* find_override(const IpAddress& responder, uint8_t protocol,
                                                     uint16_t port) const;

  std::vector<ServiceOverride> overrides_;
};

}  // namespace flowd
