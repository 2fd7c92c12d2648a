#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "onefirewall_flowd/config/config.h"
#include "onefirewall_flowd/core/counter.h"
#include "onefirewall_flowd/core/datagram.h"

namespace flowd {

// Why a TCP connection was closed (tcp_connections_closed_total{reason}).
enum class TcpCloseReason : uint8_t {
  kPeerClosed,    // the exporter closed it
  kReadError,     // the socket failed (reset, ...)
  kBadVersion,    // a header's version is not 10
  kBadLength,     // a header's length is below 16
  kIdle,          // no complete message within the idle timeout
  kStalled,       // a message started but did not complete within the message deadline
  kOverCapacity,  // accepted while max_connections were open
  kUnlisted,      // from an exporter that may have no state (accept_unknown_exporters false)
  kEvicted,       // an unlisted exporter's, closed at the cap to make room for a listed one
  kShutdown,      // the listener stopped
  kCount,
};
[[nodiscard]] const char* to_string(TcpCloseReason reason);

// What the exporter list says of a connecting exporter.
enum class TcpAdmission : uint8_t {
  kRefused,   // may have no state: closed at once
  kUnlisted,  // admitted, but closed to make room for a listed one at the cap
  kListed,
};

struct TcpListenerSettings {
  size_t max_connections = 256;
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(5);
  std::chrono::milliseconds message_deadline = std::chrono::seconds(30);
};

struct TcpListenerStats {
  Counter accepted;  // connections accepted, including those closed at once
  Counter messages;  // complete IPFIX messages handed on
  Counter bytes;
  ReasonCounters<TcpCloseReason> closed;
  std::atomic<uint64_t> open{0};  // connections open now
};

// Receives IPFIX over TCP (RFC 7011 section 10.4) on every configured
// endpoint and hands each complete message to a handler as a Datagram from
// the connection's remote address and port. Everything runs on the thread
// that runs io; no exception leaves a handler. Memory is bounded: at most
// max_connections, each holding at most one message.
class TcpListener {
 public:
  using Handler = std::function<void(const Datagram& message, uint64_t session)>;
  // A connection closed: the session's state (its templates) is to be withdrawn.
  using CloseHandler = std::function<void(uint64_t session)>;
  // Whether an exporter may have state, and whether it is listed; empty
  // admits everyone as unlisted.
  using Admission = std::function<TcpAdmission(const IpAddress& exporter)>;

  TcpListener(boost::asio::io_context& io, const TcpListenerSettings& settings, TcpListenerStats& stats,
              Handler handler, CloseHandler on_close, Admission admission = {});
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  // Binds and starts accepting. Throws std::runtime_error naming the
  // endpoint when one cannot be bound (start-up only).
  void start(const std::vector<Endpoint>& endpoints);
  // On io's thread: closes the acceptors, hands over the whole messages that
  // each connection's socket already holds (the kernel acknowledged them to
  // the exporter), then closes every connection.
  void stop();

  [[nodiscard]] std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;
  [[nodiscard]] size_t connections() const { return connections_.size(); }

 private:
  class Connection;
  void accept(boost::asio::ip::tcp::acceptor& acceptor);
  void admit(boost::asio::ip::tcp::socket socket);
  void closed(uint64_t session, TcpCloseReason reason);
  void stop_accepting();
  void close_all();
  // At the cap: closes the oldest unlisted connection; false when there is none.
  bool evict_unlisted();

  boost::asio::io_context& io_;
  TcpListenerSettings settings_;
  TcpListenerStats& stats_;
  Handler handler_;
  CloseHandler on_close_;
  Admission admission_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  std::map<uint64_t, std::shared_ptr<Connection>> connections_;
  uint64_t next_session_ = 1;
  bool stopped_ = false;
};

}  // namespace flowd
