#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/counter.h"
#include "onefirewall_flowd/core/datagram.h"

namespace flowd {

struct ListenerStats {
  Counter datagrams;
  Counter bytes;
  Counter receive_errors;  // errors from the socket other than shutdown
};

// Receives UDP datagrams on every configured endpoint and hands each one to
// a handler on the io_context's thread.
class UdpListener {
 public:
  using Handler = std::function<void(const Datagram&)>;

  UdpListener(boost::asio::io_context& io, ListenerStats& stats, Handler handler);
  ~UdpListener();

  // Binds and starts receiving. Throws std::runtime_error naming the endpoint
  // when one cannot be bound (start-up only).
  void start(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer);
  void stop();

  // The bound addresses, with the kernel's ports for port-0 endpoints.
  [[nodiscard]] std::vector<boost::asio::ip::udp::endpoint> local_endpoints() const;

 private:
  struct Socket;
  void receive(Socket& socket);
  void on_receive(Socket& socket, const boost::system::error_code& ec, size_t bytes);

  boost::asio::io_context& io_;
  ListenerStats& stats_;
  Handler handler_;
  std::vector<std::unique_ptr<Socket>> sockets_;
};

// Sets SO_RCVBUF (forcing past rmem_max where permitted) and returns the
// bytes the kernel granted.
uint64_t set_receive_buffer(boost::asio::ip::udp::socket& socket, uint64_t bytes);

}  // namespace flowd
