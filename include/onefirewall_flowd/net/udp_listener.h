#pragma once

#include <poll.h>

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
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
  Counter truncated;       // datagrams larger than a receive slot (65,535 bytes), dropped
  Counter wakeups;         // times the loop drained the sockets
};

// How a listener's sockets share their ports with the sockets of other
// workers' listeners (SO_REUSEPORT).
//
// The kernel spreads a shared port's datagrams over its sockets by a hash of
// the sender's address and port, so an exporter normally stays on one
// worker. When it does not -- the exporter's source port changes, or the
// number of workers changes across a restart -- a v9/IPFIX exporter's
// templates, learned by one worker, are unknown on the other: its data there
// waits as pending until the exporter resends its templates (counted in
// pending_sets_held_total, and decode_errors_total{reason="pending_expired"}
// when they do not come in time), and sequence tracking per (exporter,
// domain) sees gaps on both workers. NetFlow v5 needs no templates: only its
// sequence counters are affected.
enum class PortSharing : uint8_t {
  kNone,  // the only socket on its port (one worker)
  // Binds as if alone -- a port in use, even by another daemon's group, is an
  // error, and port 0 gets a port nobody holds -- then opens it to kJoin sockets.
  kFirst,
  kJoin,  // joins the port of a kFirst socket
};

// Receives UDP datagrams on every configured endpoint and hands each one to
// a handler, on the thread that calls receive_once() or run(). When a socket
// turns readable it is drained with recvmmsg, and the thread then sleeps for
// a pause (next_pause) before it looks again: under load that batches many
// datagrams per wakeup, which is most of the CPU a receiver spends.
class UdpListener {
 public:
  using Handler = std::function<void(const Datagram&)>;

  static constexpr size_t kBatch = 64;              // datagrams per recvmmsg call
  static constexpr size_t kSlotSize = 65535;        // bytes per datagram slot: the largest IPFIX message
  static constexpr size_t kMaxBatchesPerWake = 64;  // then let the thread do its other work
  static constexpr std::chrono::milliseconds kIdleWait{200};

  // The sockets are opened on io; the listener does not run it.
  UdpListener(boost::asio::io_context& io, ListenerStats& stats, Handler handler);
  ~UdpListener();
  UdpListener(const UdpListener&) = delete;
  UdpListener& operator=(const UdpListener&) = delete;

  // Binds. Throws std::runtime_error naming the endpoint when one cannot be
  // bound (start-up only). kJoin needs the bound ports (local_endpoints() of
  // the kFirst listener), not port 0.
  void start(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer,
             PortSharing sharing = PortSharing::kNone);

  // On the receiving thread: waits up to `idle` for datagrams, drains the
  // readable sockets through the handler, then pauses. wake() and stop()
  // cut the wait and the pause short.
  void receive_once(std::chrono::milliseconds idle = kIdleWait);
  // receive_once() until stop().
  void run();
  // Any thread: ends the current wait or pause, e.g. so that the receiving
  // thread runs work posted to it.
  void wake();
  // Any thread: receive_once() returns at once from now on.
  void stop();
  [[nodiscard]] bool stopped() const { return stopped_.load(std::memory_order_relaxed); }
  // On the receiving thread, after stop(): hands over what the sockets hold,
  // up to one receive buffer's worth each (exporters may keep sending), so
  // that a graceful stop loses nothing the kernel had accepted. The count.
  size_t drain_queued();

  // The bound addresses, with the kernel's ports for port-0 endpoints.
  [[nodiscard]] std::vector<boost::asio::ip::udp::endpoint> local_endpoints() const;

 private:
  struct Socket;
  // Receives what the socket holds (up to a cap); the pause it asks for.
  std::chrono::microseconds drain(Socket& socket);
  // Receives one batch and adds its receive-buffer cost; the number of
  // datagrams, or -1 when the socket is empty or failed.
  int receive_batch(Socket& socket, uint64_t& cost);
  void sleep_unless_woken(std::chrono::microseconds pause);
  void clear_wake();

  boost::asio::io_context& io_;
  ListenerStats& stats_;
  Handler handler_;
  std::vector<std::unique_ptr<Socket>> sockets_;
  int wake_fd_;  // an eventfd
  std::atomic<bool> stopped_{false};
  std::vector<pollfd> poll_fds_;  // reused by every receive_once()
};

// Sets SO_RCVBUF (forcing past rmem_max where permitted) and returns the
// bytes the kernel granted.
uint64_t set_receive_buffer(boost::asio::ip::udp::socket& socket, uint64_t bytes);

}  // namespace flowd
