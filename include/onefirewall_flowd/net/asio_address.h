#pragma once

#include <algorithm>
#include <boost/asio/ip/address.hpp>

#include "onefirewall_flowd/core/ip_address.h"

namespace flowd {

// The Asio form of an address, for binding sockets (UDP listeners, metrics).
inline boost::asio::ip::address to_asio_address(const IpAddress& a) {
  namespace ip = boost::asio::ip;
  if (a.is_v4()) return ip::address_v4(a.v4());
  ip::address_v6::bytes_type bytes;
  std::copy(a.bytes().begin(), a.bytes().end(), bytes.begin());
  return ip::address_v6(bytes);
}

}  // namespace flowd
