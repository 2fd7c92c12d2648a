#include "onefirewall_flowd/net/tcp_listener.h"

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <stdexcept>
#include <string>

#include "onefirewall_flowd/net/asio_address.h"
#include "onefirewall_flowd/net/ipfix_stream_framer.h"

namespace flowd {
namespace {

namespace ip = boost::asio::ip;
using Clock = std::chrono::steady_clock;

IpAddress from_asio_address(const ip::address& a) {
  if (a.is_v4()) return IpAddress::from_v4(a.to_v4().to_uint());
  const auto bytes = a.to_v6().to_bytes();
  std::array<uint8_t, 16> copy{};
  std::copy(bytes.begin(), bytes.end(), copy.begin());
  return IpAddress::from_v6(copy);  // v4-mapped peers compare equal to IPv4 ones
}

}  // namespace

const char* to_string(TcpCloseReason reason) {
  switch (reason) {
    case TcpCloseReason::kPeerClosed: return "peer_closed";
    case TcpCloseReason::kReadError: return "read_error";
    case TcpCloseReason::kBadVersion: return "bad_version";
    case TcpCloseReason::kBadLength: return "bad_length";
    case TcpCloseReason::kIdle: return "idle";
    case TcpCloseReason::kStalled: return "stalled";
    case TcpCloseReason::kOverCapacity: return "over_capacity";
    case TcpCloseReason::kUnlisted: return "unlisted";
    case TcpCloseReason::kEvicted: return "evicted";
    case TcpCloseReason::kShutdown: return "shutdown";
    case TcpCloseReason::kCount: break;
  }
  return "unknown";
}

// One exporter's connection: reads exactly what the framer asks for, and a
// timer that closes it when it idles or stalls mid-message.
class TcpListener::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(TcpListener& owner, ip::tcp::socket socket, uint64_t session, bool listed)
      : owner_(owner),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        session_(session),
        listed_(listed) {
    boost::system::error_code ec;
    const auto remote = socket_.remote_endpoint(ec);
    if (!ec) {
      exporter_ = from_asio_address(remote.address());
      port_ = remote.port();
    }
  }

  void start() {
    deadline_ = Clock::now() + owner_.settings_.idle_timeout;
    wait();
    read();
  }

  [[nodiscard]] bool listed() const { return listed_; }

  void close(TcpCloseReason reason) {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    socket_.close(ec);
    timer_.cancel();
    owner_.closed(session_, reason);
  }

  // At stop: reads no more than the socket held then, which cannot block and
  // cannot be drawn out by an exporter that keeps sending.
  void drain() {
    boost::system::error_code ec;
    size_t left = socket_.available(ec);
    while (!ec && !closed_ && left > 0) {
      const std::span<uint8_t> into = framer_.wanted();
      const size_t n = socket_.read_some(boost::asio::buffer(into.data(), std::min(into.size(), left)), ec);
      if (ec) return;
      left -= n;
      frame(n);
    }
  }

 private:
  void read() {
    const std::span<uint8_t> into = framer_.wanted();
    socket_.async_read_some(
        boost::asio::buffer(into.data(), into.size()),
        [self = shared_from_this()](const boost::system::error_code& ec, size_t n) { self->on_read(ec, n); });
  }

  void on_read(const boost::system::error_code& ec, size_t n) {
    if (closed_) return;
    if (ec) {
      close(ec == boost::asio::error::eof ? TcpCloseReason::kPeerClosed : TcpCloseReason::kReadError);
      return;
    }
    if (frame(n)) read();
  }

  // n more bytes are in the framer's buffer; false when the connection closed.
  bool frame(size_t n) {
    const bool was_mid_message = framer_.mid_message();
    owner_.stats_.bytes.add(n);
    switch (framer_.received(n)) {
      case IpfixStreamFramer::Result::kBadVersion: close(TcpCloseReason::kBadVersion); return false;
      case IpfixStreamFramer::Result::kBadLength: close(TcpCloseReason::kBadLength); return false;
      case IpfixStreamFramer::Result::kMessage: deliver(); break;
      case IpfixStreamFramer::Result::kNeedMore:
        if (!was_mid_message) arm(owner_.settings_.message_deadline, TcpCloseReason::kStalled);
        break;
    }
    return true;
  }

  void deliver() {
    owner_.stats_.messages.add();
    const Datagram message{exporter_, port_, framer_.message(), std::chrono::system_clock::now()};
    owner_.handler_(message, session_);
    arm(owner_.settings_.idle_timeout, TcpCloseReason::kIdle);
  }

  // The one wait in flight checks the deadline when it fires; a deadline
  // moved earlier cuts it short.
  void arm(std::chrono::milliseconds after, TcpCloseReason reason) {
    deadline_ = Clock::now() + after;
    deadline_reason_ = reason;
    if (deadline_ < timer_.expiry()) timer_.expires_at(deadline_);
  }

  void wait() {
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
      if (self->closed_) return;
      if (Clock::now() >= self->deadline_) {
        self->close(self->deadline_reason_);
      } else {
        self->wait();
      }
    });
  }

  TcpListener& owner_;
  ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  uint64_t session_;
  bool listed_;
  IpAddress exporter_;
  uint16_t port_ = 0;
  IpfixStreamFramer framer_;
  Clock::time_point deadline_;
  TcpCloseReason deadline_reason_ = TcpCloseReason::kIdle;
  bool closed_ = false;
};

TcpListener::TcpListener(boost::asio::io_context& io, const TcpListenerSettings& settings,
                         TcpListenerStats& stats, Handler handler, CloseHandler on_close, Admission admission)
    : io_(io),
      settings_(settings),
      stats_(stats),
      handler_(std::move(handler)),
      on_close_(std::move(on_close)),
      admission_(std::move(admission)) {}

// Without the drain: the handler's owner may be gone already.
TcpListener::~TcpListener() {
  stop_accepting();
  close_all();
}

void TcpListener::start(const std::vector<Endpoint>& endpoints) {
  for (const auto& e : endpoints) {
    auto acceptor = std::make_unique<ip::tcp::acceptor>(io_);
    const ip::tcp::endpoint endpoint(to_asio_address(e.address), e.port);
    boost::system::error_code ec;
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on TCP " + e.address.to_string() + " port " +
                               std::to_string(e.port) + ": " + ec.message());
    }
    acceptors_.push_back(std::move(acceptor));
  }
  for (auto& acceptor : acceptors_) accept(*acceptor);
}

void TcpListener::stop() {
  stop_accepting();
  std::vector<std::shared_ptr<Connection>> open;
  for (const auto& [session, connection] : connections_) open.push_back(connection);
  for (const auto& connection : open) connection->drain();  // may close it
  close_all();
}

void TcpListener::stop_accepting() {
  stopped_ = true;
  boost::system::error_code ec;
  for (auto& acceptor : acceptors_) acceptor->close(ec);
}

void TcpListener::close_all() {
  while (!connections_.empty()) {
    const auto connection = connections_.begin()->second;  // close() erases it
    connection->close(TcpCloseReason::kShutdown);
  }
}

std::vector<ip::tcp::endpoint> TcpListener::local_endpoints() const {
  std::vector<ip::tcp::endpoint> out;
  for (const auto& acceptor : acceptors_) {
    boost::system::error_code ec;
    out.push_back(acceptor->local_endpoint(ec));
  }
  return out;
}

void TcpListener::accept(ip::tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &acceptor](const boost::system::error_code& ec, ip::tcp::socket socket) {
    if (stopped_) return;
    if (!ec) admit(std::move(socket));
    // Out of descriptors and the like: keep accepting; the connection is lost either way.
    accept(acceptor);
  });
}

// Refused connections are closed at once: they hold no buffer and no state.
void TcpListener::admit(ip::tcp::socket socket) {
  stats_.accepted.add();
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  const TcpAdmission admission =
      ec ? TcpAdmission::kRefused
         : (admission_ ? admission_(from_asio_address(remote.address())) : TcpAdmission::kUnlisted);
  TcpCloseReason refusal = TcpCloseReason::kCount;
  if (ec) {
    refusal = TcpCloseReason::kReadError;
  } else if (admission == TcpAdmission::kRefused) {
    refusal = TcpCloseReason::kUnlisted;
  } else if (connections_.size() >= settings_.max_connections &&
             (admission != TcpAdmission::kListed || !evict_unlisted())) {
    refusal = TcpCloseReason::kOverCapacity;
  }
  if (refusal != TcpCloseReason::kCount) {
    socket.close(ec);
    stats_.closed.add(refusal);
    return;
  }
  const uint64_t session = next_session_++;
  auto connection =
      std::make_shared<Connection>(*this, std::move(socket), session, admission == TcpAdmission::kListed);
  connections_.emplace(session, connection);
  stats_.open.store(connections_.size(), std::memory_order_relaxed);
  connection->start();
}

// Sessions are numbered in order, so the map's first unlisted one is the oldest.
bool TcpListener::evict_unlisted() {
  for (const auto& [session, connection] : connections_) {
    if (connection->listed()) continue;
    const auto keep = connection;  // close() erases it from the map
    keep->close(TcpCloseReason::kEvicted);
    return true;
  }
  return false;
}

void TcpListener::closed(uint64_t session, TcpCloseReason reason) {
  stats_.closed.add(reason);
  connections_.erase(session);
  stats_.open.store(connections_.size(), std::memory_order_relaxed);
  if (on_close_) on_close_(session);
}

}  // namespace flowd
