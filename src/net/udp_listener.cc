#include "onefirewall_flowd/net/udp_listener.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "onefirewall_flowd/net/asio_address.h"

namespace flowd {
namespace {

namespace ip = boost::asio::ip;

ip::udp::endpoint to_asio(const Endpoint& e) {
  return {to_asio_address(e.address), e.port};
}

IpAddress from_sockaddr(const sockaddr_storage& from, uint16_t& port) {
  if (from.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &from, sizeof v4);
    port = ntohs(v4.sin_port);
    return IpAddress::from_v4(ntohl(v4.sin_addr.s_addr));
  }
  sockaddr_in6 v6{};
  std::memcpy(&v6, &from, sizeof v6);
  port = ntohs(v6.sin6_port);
  std::array<uint8_t, 16> bytes{};
  std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
  return IpAddress::from_v6(bytes);  // v4-mapped senders compare equal to IPv4 ones
}

}  // namespace

struct UdpListener::Socket {
  explicit Socket(boost::asio::io_context& io)
      : socket(io), pause(io), buffers(kBatch * kSlotSize), headers(kBatch), iovecs(kBatch), senders(kBatch) {
    for (size_t i = 0; i < kBatch; ++i) {
      iovecs[i] = {buffers.data() + i * kSlotSize, kSlotSize};
    }
  }
  void reset_headers() {
    for (size_t i = 0; i < kBatch; ++i) {
      headers[i] = {};
      headers[i].msg_hdr.msg_iov = &iovecs[i];
      headers[i].msg_hdr.msg_iovlen = 1;
      headers[i].msg_hdr.msg_name = &senders[i];
      headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    }
  }

  ip::udp::socket socket;
  boost::asio::steady_timer pause;
  std::vector<uint8_t> buffers;
  std::vector<mmsghdr> headers;
  std::vector<iovec> iovecs;
  std::vector<sockaddr_storage> senders;
};

uint64_t set_receive_buffer(ip::udp::socket& socket, uint64_t bytes) {
  const int fd = socket.native_handle();
  const int wanted = bytes > static_cast<uint64_t>(INT32_MAX / 2) ? INT32_MAX / 2 : static_cast<int>(bytes);
  // SO_RCVBUFFORCE passes net.core.rmem_max with CAP_NET_ADMIN; otherwise fall back.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &wanted, sizeof wanted) != 0) {
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &wanted, sizeof wanted);
  }
  int granted = 0;
  socklen_t len = sizeof granted;
  if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &len) != 0) return 0;
  return static_cast<uint64_t>(granted) / 2;  // Linux reports double the usable size
}

UdpListener::UdpListener(boost::asio::io_context& io, ListenerStats& stats, Handler handler)
    : io_(io), stats_(stats), handler_(std::move(handler)) {}

UdpListener::~UdpListener() = default;

void UdpListener::start(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer) {
  for (const auto& e : endpoints) {
    const auto endpoint = to_asio(e);
    auto s = std::make_unique<Socket>(io_);
    boost::system::error_code ec;
    s->socket.open(endpoint.protocol(), ec);
    if (!ec && endpoint.address().is_v6()) s->socket.set_option(ip::v6_only(true), ec);
    if (!ec) s->socket.bind(endpoint, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + e.address.to_string() + " port " +
                               std::to_string(e.port) + ": " + ec.message());
    }
    const uint64_t granted = set_receive_buffer(s->socket, receive_buffer);
    if (granted < receive_buffer) {
      spdlog::warn("receive buffer on {}: asked {} bytes, kernel granted {}; raise net.core.rmem_max",
                   s->socket.local_endpoint().port(), receive_buffer, granted);
    }
    spdlog::info(
        "listening on udp {}",
        e.address.is_v4()
            ? e.address.to_string() + ":" + std::to_string(s->socket.local_endpoint().port())
            : "[" + e.address.to_string() + "]:" + std::to_string(s->socket.local_endpoint().port()));
    sockets_.push_back(std::move(s));
  }
  for (auto& s : sockets_) wait_readable(*s);
}

void UdpListener::stop() {
  for (auto& s : sockets_) {
    boost::system::error_code ignored;
    s->socket.close(ignored);
    s->pause.cancel();
  }
}

std::vector<ip::udp::endpoint> UdpListener::local_endpoints() const {
  std::vector<ip::udp::endpoint> out;
  for (const auto& s : sockets_) {
    boost::system::error_code ec;
    auto e = s->socket.local_endpoint(ec);
    if (!ec) out.push_back(e);
  }
  return out;
}

void UdpListener::wait_readable(Socket& s) {
  s.socket.async_wait(ip::udp::socket::wait_read, [this, &s](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || !s.socket.is_open()) return;
    drain(s);
  });
}

void UdpListener::drain(Socket& s) {
  stats_.wakeups.add();
  for (size_t batch = 0; batch < kMaxBatchesPerWake; ++batch) {
    if (receive_batch(s) < static_cast<int>(kBatch)) break;
  }
  if (!s.socket.is_open()) return;
  // Pausing before the next wait lets datagrams gather in the socket buffer.
  s.pause.expires_after(kPause);
  s.pause.async_wait([this, &s](const boost::system::error_code& ec) {
    if (!ec && s.socket.is_open()) wait_readable(s);
  });
}

int UdpListener::receive_batch(Socket& s) {
  s.reset_headers();
  const int n = recvmmsg(s.socket.native_handle(), s.headers.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      stats_.receive_errors.add();
      spdlog::debug("receive error: {}", std::strerror(errno));
    }
    return -1;
  }
  const auto now = std::chrono::system_clock::now();
  for (int i = 0; i < n; ++i) {
    const mmsghdr& m = s.headers[static_cast<size_t>(i)];
    if (m.msg_hdr.msg_flags & MSG_TRUNC) {
      stats_.truncated.add();
      continue;
    }
    stats_.datagrams.add();
    stats_.bytes.add(m.msg_len);
    Datagram d;
    d.exporter = from_sockaddr(s.senders[static_cast<size_t>(i)], d.exporter_port);
    d.payload = std::span<const uint8_t>(s.buffers.data() + static_cast<size_t>(i) * kSlotSize, m.msg_len);
    d.received = now;
    handler_(d);
  }
  return n;
}

}  // namespace flowd
