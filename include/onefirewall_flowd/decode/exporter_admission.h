#pragma once

#include <functional>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// Which exporters may have per-exporter state: exporters.list and accept_unknown.
struct ExporterAdmission {
  std::function<bool(const IpAddress&)> listed;  // empty: no exporter is listed
  bool accept_unknown = true;
};

}  // namespace flowd
