#pragma once

#include <initializer_list>
#include <string>

#include "onefirewall_flowd/config/config.h"

namespace flowd::test {

// The default config with these exporters (addresses or prefixes) listed,
// all under one firewall name and the default policy.
inline Config config_naming(std::initializer_list<const char*> exporters, const std::string& name) {
  Config config = Config::defaults();
  for (const char* address : exporters) {
    ExporterConfig e;
    e.address = *Cidr::parse(address);
    e.name = name;
    e.policy = config.exporter_defaults;
    config.exporters.push_back(e);
  }
  return config;
}

}  // namespace flowd::test
