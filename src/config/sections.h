#pragma once

#include "onefirewall_flowd/config/config.h"
#include "yaml_field.h"

namespace flowd::config_detail {

// Each reader applies the keys present in its section onto `config`, leaving
// defaults in place for the keys that are absent.
void read_top_level(const Field& root, Config& config);
void read_exporters(const Field& field, Config& config);
void read_services(const Field& field, Config& config);
void read_api(const Field& field, ApiConfig& api);

}  // namespace flowd::config_detail
