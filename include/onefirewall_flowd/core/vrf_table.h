#pragma once

#include <cstdint>
#include <map>

#include "onefirewall_flowd/core/interface_table.h"

namespace flowd {

// One (exporter, domain)'s VRF names (IE 236 VRFname) by VRF id (IEs 234/235),
// as options data announced them.
using VrfTable = std::map<uint32_t, ShortText>;

}  // namespace flowd
