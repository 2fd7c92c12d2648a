// Small loopback helpers: free ports and one Prometheus sample over plain HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace flowd::load {

// A port the kernel just handed out on 127.0.0.1 (SOCK_DGRAM or SOCK_STREAM); 0 on failure.
uint16_t free_port(int socket_type);

// The value of the unlabelled sample `name` at http://127.0.0.1:port/metrics.
std::optional<double> fetch_metric(uint16_t port, std::string_view name);

}  // namespace flowd::load
