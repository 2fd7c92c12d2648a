#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "yaml_field.h"

namespace flowd::config_detail {

// Each reader returns the typed value of a field or fails with a message that
// quotes the offending value.
bool read_bool(const Field& field);
uint64_t read_unsigned(const Field& field, uint64_t min, uint64_t max);
std::string read_text(const Field& field);           // any scalar, may be empty
std::string read_nonempty_text(const Field& field);  // no control characters either
std::chrono::milliseconds read_duration(const Field& field, bool zero_allowed);
// A duration within min..max; 0 is accepted besides the range only when zero_allowed.
std::chrono::milliseconds read_duration_in(const Field& field, std::chrono::milliseconds min,
                                           std::chrono::milliseconds max, bool zero_allowed);
uint64_t read_size(const Field& field, uint64_t min, uint64_t max);
Endpoint read_endpoint(const Field& field);
Cidr read_cidr(const Field& field);
IpAddress read_ip(const Field& field);
Action read_action(const Field& field);
LogLevel read_log_level(const Field& field);
std::string read_url(const Field& field);
uint8_t read_protocol(const Field& field);

template <typename ReadItem>
auto read_list(const Field& list, ReadItem read_item) {
  std::vector<decltype(read_item(list))> values;
  for (const Field& item : list.items()) values.push_back(read_item(item));
  return values;
}

}  // namespace flowd::config_detail
