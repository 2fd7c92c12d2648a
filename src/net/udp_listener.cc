#include "onefirewall_flowd/net/udp_listener.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>
#include <algorithm>
#include <boost/asio/ip/v6_only.hpp>
#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <vector>

#include "onefirewall_flowd/net/asio_address.h"
#include "onefirewall_flowd/net/receive_pause.h"

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

void set_reuse_port(ip::udp::socket& socket, boost::system::error_code& ec) {
  const int on = 1;
  if (setsockopt(socket.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    ec = boost::system::error_code(errno, boost::system::system_category());
  }
}

void open_and_bind(ip::udp::socket& socket, const ip::udp::endpoint& endpoint, PortSharing sharing,
                   boost::system::error_code& ec) {
  socket.open(endpoint.protocol(), ec);
  if (!ec && endpoint.address().is_v6()) socket.set_option(ip::v6_only(true), ec);
  if (!ec && sharing == PortSharing::kJoin) set_reuse_port(socket, ec);
  if (!ec) socket.bind(endpoint, ec);
  // Set after the bind, so the bind itself was exclusive; later kJoin binds
  // then share the port (the kernel forms the group when the first joins).
  if (!ec && sharing == PortSharing::kFirst) set_reuse_port(socket, ec);
}

}  // namespace

// Slots 64 KiB apart would start on the same cache sets, and a batch's
// datagram headers would evict one another while they are decoded.
constexpr size_t kSlotStride = UdpListener::kSlotSize + 1 + 4 * 64;

// The receive slots, mapped but not touched: a page is backed by memory only
// once a datagram reaches it, so 64 KiB slots cost what the datagrams fill.
class SlotMemory {
 public:
  explicit SlotMemory(size_t bytes) : bytes_(bytes) {
    void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    // A huge page would back 2 MiB for the first datagram that touches it.
    (void)madvise(memory, bytes, MADV_NOHUGEPAGE);
    data_ = static_cast<uint8_t*>(memory);
  }
  ~SlotMemory() { munmap(data_, bytes_); }
  SlotMemory(const SlotMemory&) = delete;
  SlotMemory& operator=(const SlotMemory&) = delete;

  [[nodiscard]] uint8_t* data() const { return data_; }

 private:
  size_t bytes_;
  uint8_t* data_ = nullptr;
};

struct UdpListener::Socket {
  explicit Socket(boost::asio::io_context& io)
      : socket(io), buffers(kBatch * kSlotStride), headers(kBatch), iovecs(kBatch), senders(kBatch) {
    for (size_t i = 0; i < kBatch; ++i) {
      iovecs[i] = {buffers.data() + i * kSlotStride, kSlotSize};
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
  uint64_t granted_buffer = 0;
  std::chrono::steady_clock::time_point last_drain = std::chrono::steady_clock::now();
  SlotMemory buffers;
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
    : io_(io), stats_(stats), handler_(std::move(handler)), wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (wake_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
}

UdpListener::~UdpListener() {
  close(wake_fd_);
}

void UdpListener::start(const std::vector<Endpoint>& endpoints, uint64_t receive_buffer,
                        PortSharing sharing) {
  for (const auto& e : endpoints) {
    auto s = std::make_unique<Socket>(io_);
    boost::system::error_code ec;
    open_and_bind(s->socket, to_asio(e), sharing, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + e.address.to_string() + " port " +
                               std::to_string(e.port) + ": " + ec.message());
    }
    s->granted_buffer = set_receive_buffer(s->socket, receive_buffer);
    if (s->granted_buffer < receive_buffer && sharing != PortSharing::kJoin) {
      spdlog::warn("receive buffer on {}: asked {} bytes, kernel granted {}; raise net.core.rmem_max",
                   s->socket.local_endpoint().port(), receive_buffer, s->granted_buffer);
    }
    sockets_.push_back(std::move(s));
  }
}

void UdpListener::stop() {
  stopped_.store(true, std::memory_order_relaxed);
  wake();
}

void UdpListener::wake() {
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);  // a full counter already wakes the receiver
}

void UdpListener::run() {
  while (!stopped()) receive_once();
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

// poll() and ppoll() see the sockets only while they wait: a socket kept in an
// epoll set would wake the thread for every datagram that lands in a pause.
void UdpListener::receive_once(std::chrono::milliseconds idle) {
  if (stopped()) return;
  poll_fds_.clear();
  for (const auto& s : sockets_) poll_fds_.push_back({s->socket.native_handle(), POLLIN, 0});
  poll_fds_.push_back({wake_fd_, POLLIN, 0});
  if (poll(poll_fds_.data(), poll_fds_.size(), static_cast<int>(idle.count())) <= 0) return;
  if (poll_fds_.back().revents != 0) clear_wake();
  auto pause = kMaxPause;
  bool drained = false;
  for (size_t i = 0; i < sockets_.size() && !stopped(); ++i) {
    if (poll_fds_[i].revents == 0) continue;
    pause = std::min(pause, drain(*sockets_[i]));
    drained = true;
  }
  if (drained) sleep_unless_woken(pause);
}

void UdpListener::clear_wake() {
  uint64_t count = 0;
  (void)!read(wake_fd_, &count, sizeof count);
}

void UdpListener::sleep_unless_woken(std::chrono::microseconds pause) {
  if (stopped()) return;
  pollfd wake{wake_fd_, POLLIN, 0};
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(pause);
  const timespec timeout{static_cast<time_t>(seconds.count()),
                         static_cast<long>(std::chrono::nanoseconds(pause - seconds).count())};
  if (ppoll(&wake, 1, &timeout, nullptr) > 0) clear_wake();
}

std::chrono::microseconds UdpListener::drain(Socket& s) {
  stats_.wakeups.add();
  uint64_t cost = 0;
  bool emptied = false;
  for (size_t batch = 0; batch < kMaxBatchesPerWake && !emptied && !stopped(); ++batch) {
    emptied = receive_batch(s, cost) < static_cast<int>(kBatch);
  }
  const auto now = std::chrono::steady_clock::now();
  // A drain that stopped at its cap left datagrams behind: come back soon.
  const auto pause = emptied ? next_pause(cost, now - s.last_drain, s.granted_buffer) : kMinPause;
  s.last_drain = now;
  return pause;
}

size_t UdpListener::drain_queued() {
  size_t received = 0;
  for (const auto& s : sockets_) {
    const uint64_t bound = std::max<uint64_t>(s->granted_buffer, 1);
    uint64_t cost = 0;
    int n = 0;
    while (cost < bound && (n = receive_batch(*s, cost)) > 0) received += static_cast<size_t>(n);
  }
  return received;
}

int UdpListener::receive_batch(Socket& s, uint64_t& cost) {
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
    cost += buffer_cost(1, m.msg_len);
    if (m.msg_hdr.msg_flags & MSG_TRUNC) {
      stats_.truncated.add();
      continue;
    }
    stats_.datagrams.add();
    stats_.bytes.add(m.msg_len);
    Datagram d;
    d.exporter = from_sockaddr(s.senders[static_cast<size_t>(i)], d.exporter_port);
    d.payload = std::span<const uint8_t>(s.buffers.data() + static_cast<size_t>(i) * kSlotStride, m.msg_len);
    d.received = now;
    handler_(d);
  }
  return n;
}

}  // namespace flowd
