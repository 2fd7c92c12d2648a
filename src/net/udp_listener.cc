#include "onefirewall_flowd/net/udp_listener.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/ip/v6_only.hpp>
#include <stdexcept>

namespace flowd {
namespace {

namespace ip = boost::asio::ip;
constexpr size_t kMaxDatagram = 65535;

ip::udp::endpoint to_asio(const Endpoint& e) {
  if (e.address.is_v4()) return {ip::address_v4(e.address.v4()), e.port};
  ip::address_v6::bytes_type bytes;
  std::copy(e.address.bytes().begin(), e.address.bytes().end(), bytes.begin());
  return {ip::address_v6(bytes), e.port};
}

IpAddress from_asio(const ip::address& a) {
  if (a.is_v4()) return IpAddress::from_v4(a.to_v4().to_uint());
  const auto v6 = a.to_v6();
  if (v6.is_v4_mapped()) return IpAddress::from_v4(ip::make_address_v4(ip::v4_mapped, v6).to_uint());
  std::array<uint8_t, 16> bytes{};
  const auto b = v6.to_bytes();
  std::copy(b.begin(), b.end(), bytes.begin());
  return IpAddress::from_v6(bytes);
}

}  // namespace

struct UdpListener::Socket {
  explicit Socket(boost::asio::io_context& io) : socket(io) {}
  ip::udp::socket socket;
  ip::udp::endpoint sender;
  std::array<uint8_t, kMaxDatagram> buffer{};
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
      throw std::runtime_error("cannot listen on " + e.address.to_string() + " port " + std::to_string(e.port) +
                               ": " + ec.message());
    }
    const uint64_t granted = set_receive_buffer(s->socket, receive_buffer);
    if (granted < receive_buffer) {
      spdlog::warn("receive buffer on {}: asked {} bytes, kernel granted {}; raise net.core.rmem_max",
                   s->socket.local_endpoint().port(), receive_buffer, granted);
    }
    spdlog::info("listening on udp {}", e.address.is_v4() ? e.address.to_string() + ":" + std::to_string(s->socket.local_endpoint().port())
                                                           : "[" + e.address.to_string() + "]:" + std::to_string(s->socket.local_endpoint().port()));
    sockets_.push_back(std::move(s));
  }
  for (auto& s : sockets_) receive(*s);
}

void UdpListener::stop() {
  for (auto& s : sockets_) {
    boost::system::error_code ignored;
    s->socket.close(ignored);
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

void UdpListener::receive(Socket& s) {
  s.socket.async_receive_from(boost::asio::buffer(s.buffer), s.sender,
                              [this, &s](const boost::system::error_code& ec, size_t n) { on_receive(s, ec, n); });
}

void UdpListener::on_receive(Socket& s, const boost::system::error_code& ec, size_t bytes) {
  if (ec == boost::asio::error::operation_aborted || !s.socket.is_open()) return;
  if (ec) {
    // Transient errors (e.g. ICMP-induced) must not stop the receive loop.
    stats_.receive_errors.add();
    spdlog::debug("receive error: {}", ec.message());
  } else {
    stats_.datagrams.add();
    stats_.bytes.add(bytes);
    Datagram d{from_asio(s.sender.address()), s.sender.port(), std::span<const uint8_t>(s.buffer.data(), bytes),
               std::chrono::system_clock::now()};
    handler_(d);
  }
  receive(s);
}

}  // namespace flowd
