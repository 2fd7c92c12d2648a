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
  Counter truncated;       // datagrams larger than a receive slot, dropped
  Counter wakeups;         // times the loop drained the sockets
};

// Receives UDP datagrams on every configured endpoint and hands each one to
// a handler on the io_context's thread. When a socket turns readable it is
// drained with recvmmsg without blocking, and the next wait starts after a
// short pause: under load that batches many datagrams per wakeup, which is
// most of the CPU a receiver spends.
class UdpListener {
 public:
  using Handler = std::function<void(const Datagram&)>;

  static constexpr size_t kBatch = 64;              // datagrams per recvmmsg call
  static constexpr size_t kSlotSize = 16 * 1024;    // bytes per datagram slot (jumbo frames fit)
  static constexpr size_t kMaxBatchesPerWake = 64;  // then yield to the other sockets and timers
  static constexpr std::chrono::microseconds kPause{1000};

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
  void wait_readable(Socket& socket);
  void drain(Socket& socket);
  // Receives one batch; the number of datagrams, or -1 when the socket is empty or failed.
  int receive_batch(Socket& socket);

  boost::asio::io_context& io_;
  ListenerStats& stats_;
  Handler handler_;
  std::vector<std::unique_ptr<Socket>> sockets_;
};

// Sets SO_RCVBUF (forcing past rmem_max where permitted) and returns the
// bytes the kernel granted.
uint64_t set_receive_buffer(boost::asio::ip::udp::socket& socket, uint64_t bytes);

}  // namespace flowd
