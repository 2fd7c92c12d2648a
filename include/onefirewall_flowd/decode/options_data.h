#pragma once

#include "onefirewall_flowd/decode/data_set.h"
#include "onefirewall_flowd/decode/record_fields.h"

namespace flowd {

// Keeps what an options data record tells about its domain: sampling, the
// system init time, an interface's name and description, keyed by the
// record's ingressInterface (else egressInterface), and a VRF's name (IE 236),
// keyed by its ingressVRFID (else egressVRFID).
void learn_options(const RecordFields& fields, const OptionsTarget& target);

}  // namespace flowd
