#pragma once

#include <string>
#include <string_view>

namespace flowd::config_detail {

// Why `url` is not an http:// or https:// URL with a host, phrased to follow the
// quoted URL; empty when it is fine.
std::string url_error(std::string_view url);

}  // namespace flowd::config_detail
